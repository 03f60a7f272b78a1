"""Where the recipes find the repository, the app's CLI and the shared data.

No machine paths: ../shared is found beside the repository checkout (as CI lays
it out), or wherever $HTR_STUDIO_SHARED says; every recipe also takes a flag.
"""
import os

RECIPES = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(os.path.dirname(RECIPES))  # native-models/recipes -> repository root
CLI = os.path.join(REPO, "bin", "htr-studio.cjs")


def shared_dir():
    return os.environ.get("HTR_STUDIO_SHARED") or os.path.join(os.path.dirname(REPO), "shared")


def shared(*parts):
    return os.path.join(shared_dir(), *parts)
