// The recent projects the start screen and File › Open Recent list (recent.json in
// the user data folder): most recent first, each folder once, at most ten, a folder
// that is gone kept (greyed) until removed, and a broken file read as an empty list.
// Then the engine's side: opening records, a missing folder is refused, "New project"
// writes its manifest, "Open the sample" copies it once and keeps the person's edits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RECENT_PROJECTS, parseRecent, RecentProjects, withOpened } from '../../electron/node/project/recent-projects.js';
import { ProjectHost } from '../../electron/node/project/project-host.js';
import { copySample } from '../../electron/node/project/sample-copy.js';
import { API_ARGS } from '../../electron/common/api/methods.js';
import { REPO } from '../helpers/corpus.js';

let root: string;
const dirOf = (name: string): string => {
  const d = path.join(root, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
};

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-recent-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('recent projects store', () => {
  it('puts the last opened first, each folder once, and keeps at most ten', async () => {
    const store = new RecentProjects(path.join(root, 'data-order'));
    expect(store.list()).toEqual([]);
    for (let i = 0; i < MAX_RECENT_PROJECTS + 3; i++) await store.add(dirOf(`p${i}`));
    await store.add(path.join(root, 'p5'));
    const list = store.list();
    expect(list).toHaveLength(MAX_RECENT_PROJECTS);
    expect(list[0]).toEqual({ dir: path.join(root, 'p5'), name: 'p5', exists: true });
    expect(list[1]!.name).toBe(`p${MAX_RECENT_PROJECTS + 2}`);
    expect(list.filter((r) => r.name === 'p5')).toHaveLength(1);
    // The oldest fell off the end.
    expect(list.map((r) => r.name)).not.toContain('p0');
    expect(JSON.parse(fs.readFileSync(store.file, 'utf8')).recent[0]).toMatchObject({ dir: path.join(root, 'p5'), opened: expect.any(String) });
  });

  it('keeps a folder that is gone, marked missing, until it is removed', async () => {
    const store = new RecentProjects(path.join(root, 'data-missing'));
    const here = dirOf('here');
    const gone = dirOf('gone');
    await store.add(gone);
    await store.add(here);
    fs.rmSync(gone, { recursive: true });
    expect(store.list()).toEqual([
      { dir: here, name: 'here', exists: true },
      { dir: gone, name: 'gone', exists: false },
    ]);
    expect(await store.remove(gone)).toEqual([{ dir: here, name: 'here', exists: true }]);
    expect(await store.clear()).toEqual([]);
  });

  it('carries over the folders an older window-state.json listed, once, in their order', async () => {
    const store = new RecentProjects(path.join(root, 'data-carry'));
    await store.carryOver(['/new', '/old']);
    expect(store.dirs()).toEqual(['/new', '/old']);
    await store.carryOver(['/other']);
    expect(store.dirs()).toEqual(['/new', '/old']);
  });

  it('reads a missing, broken or hand-edited file without failing', () => {
    expect(parseRecent(undefined)).toEqual([]);
    expect(parseRecent('{not json')).toEqual([]);
    expect(parseRecent('[1,2]')).toEqual([]);
    expect(parseRecent('{"recent":[{"dir":"/a"},7,null,{"dir":""},{"dir":"/a","opened":"x"},{"dir":"/b","opened":"t"}]}')).toEqual([
      { dir: '/a', opened: '' },
      { dir: '/b', opened: 't' },
    ]);
    const many = Array.from({ length: 30 }, (_, i) => ({ dir: `/p${i}` }));
    expect(parseRecent(JSON.stringify({ recent: many }))).toHaveLength(MAX_RECENT_PROJECTS);
    expect(withOpened([{ dir: '/a', opened: '' }, { dir: '/b', opened: '' }], '/b').map((e) => e.dir)).toEqual(['/b', '/a']);
  });
});

describe('the start screen in the engine (ProjectHost)', () => {
  it('records each open, refuses a missing folder, creates a project, and switches projects with their locks', async () => {
    const recent = new RecentProjects(path.join(root, 'data-host'));
    const host = new ProjectHost(path.join(root, 'cache'), undefined, { recent, lockedBy: 'test' });
    try {
      expect(await host.getProject()).toBeNull();
      const a = dirOf('host-a');
      await host.openProject(a);
      await expect(host.openProject(path.join(root, 'no-such-folder'))).rejects.toMatchObject({ code: 'not-found' });
      // Nothing was created for the missing folder.
      expect(fs.existsSync(path.join(root, 'no-such-folder'))).toBe(false);
      const created = path.join(root, 'new', 'project');
      const info = await host.createProject(created);
      expect(info).toMatchObject({ dir: created, name: 'project', pageCount: 0 });
      expect(JSON.parse(fs.readFileSync(path.join(created, 'htr-studio.json'), 'utf8'))).toMatchObject({ htrStudioProject: 1 });
      // The old project's lock went back when the new one was taken.
      expect(fs.existsSync(path.join(a, '.htr-studio', 'lock'))).toBe(false);
      expect(fs.existsSync(path.join(created, '.htr-studio', 'lock'))).toBe(true);
      await expect(host.createProject(a)).rejects.toMatchObject({ code: 'conflict' });
      expect((await host.recentProjects()).map((r) => r.dir)).toEqual([created, a]);
      expect((await host.forgetRecentProject(a)).map((r) => r.dir)).toEqual([created]);
      await expect(host.revealPath('user-models')).rejects.toMatchObject({ code: 'unsupported' });
    } finally {
      await host.dispose();
    }
  });

  it('copies the sample once and keeps what the person changed in the copy', () => {
    const to = path.join(root, 'sample-copy');
    const from = path.join(REPO, 'assets', 'sample');
    copySample(from, to);
    const xml = fs.readdirSync(path.join(to, 'page'))[0]!;
    expect(fs.readdirSync(path.join(from, 'page')).filter((f) => f.endsWith('.xml'))).toContain(xml);
    fs.writeFileSync(path.join(to, 'page', xml), 'edited');
    copySample(from, to);
    expect(fs.readFileSync(path.join(to, 'page', xml), 'utf8')).toBe('edited');
  });

  it('takes only absolute folder paths (or ~/…) from the editor', () => {
    const check = API_ARGS.openProject;
    expect(check(['/home/marie/wills'], 'openProject')).toEqual(['/home/marie/wills']);
    expect(check(['~/wills'], 'openProject')).toEqual(['~/wills']);
    expect(check(['C:\\Users\\marie'], 'openProject')).toEqual(['C:\\Users\\marie']);
    for (const bad of ['wills', '../etc', '/a\nb', '']) expect(() => check([bad], 'openProject')).toThrow();
  });
});
