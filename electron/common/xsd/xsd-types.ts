/** The compiled form of a schema: what the streaming validator checks a document against. */
import type { ContentAutomaton, Wildcard } from './xsd-content.js';
import type { NsMap } from './ns-map.js';
import type { SimpleType } from './xsd-simple.js';

export interface ElementDecl {
  readonly local: string;
  readonly uri: string;
  /** Resolved when first asked (types refer to each other in cycles). */
  readonly type: () => XsdType;
  readonly fixed?: string;
}

export interface AttributeUse {
  readonly local: string;
  readonly uri: string;
  readonly type: SimpleType;
  readonly required: boolean;
  readonly fixed?: string;
}

export interface ComplexType {
  readonly kind: 'complex';
  readonly name: string;
  readonly abstract: boolean;
  /** By namespace ('' : written without a prefix) and local name. */
  readonly attributes: NsMap<AttributeUse>;
  /** 'simple': text of `simple`; 'elements': children only (white space between them); 'mixed': both; 'empty'; 'any': anyType, nothing checked inside. */
  readonly content: 'empty' | 'elements' | 'mixed' | 'simple' | 'any';
  readonly simple?: SimpleType;
  readonly automaton: ContentAutomaton;
  /** The element declarations its content model names (one type per name, as XSD requires). */
  readonly children: NsMap<ElementDecl>;
  readonly wildcards: readonly Wildcard[];
}

export type XsdType = ComplexType | ({ readonly kind: 'simple' } & SimpleType);

export interface CompiledSchema {
  /** The global element declarations. */
  readonly elements: NsMap<ElementDecl>;
  readonly targetNamespace: string;
}

export function qkey(uri: string, local: string): string {
  return `{${uri}}${local}`;
}
