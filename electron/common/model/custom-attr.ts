/**
 * PAGE's `custom` attribute: "name {key:value; key:value;} name {…}". Transkribus
 * stores reading order and tags there; eScriptorium and SegmOnto the zone type
 * ("structure {type:MainZone;}"). Values are escaped with \u0020-style codes.
 */
export type CustomAttr = Record<string, Record<string, string>>;

export function parseCustom(custom: string | undefined): CustomAttr {
  const out: CustomAttr = {};
  if (!custom) return out;
  const re = /([\w.-]+)\s*\{([^}]*)\}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(custom))) {
    const props: Record<string, string> = {};
    for (const part of m[2]!.split(';')) {
      const i = part.indexOf(':');
      if (i < 0) continue;
      props[part.slice(0, i).trim()] = part.slice(i + 1).trim();
    }
    out[m[1]!] = props;
  }
  return out;
}

export function formatCustom(c: CustomAttr): string | undefined {
  const parts = Object.entries(c).map(([name, props]) => `${name} {${Object.entries(props).map(([k, v]) => `${k}:${v};`).join('')}}`);
  return parts.length ? parts.join(' ') : undefined;
}

/** The SegmOnto type in `structure {type:…}`, e.g. MainZone or DefaultLine. */
export function structureType(custom: string | undefined): string | undefined {
  return parseCustom(custom).structure?.type;
}

/** Sets (or with undefined, removes) the structure type, keeping every other part as written. */
export function withStructureType(custom: string | undefined, type: string | undefined): string | undefined {
  const c = parseCustom(custom);
  if (type) c.structure = { ...(c.structure ?? {}), type };
  else if (c.structure) {
    delete c.structure.type;
    if (!Object.keys(c.structure).length) delete c.structure;
  }
  return formatCustom(c);
}
