/**
 * Container image references, by the grammar of the OCI distribution spec / the reference
 * package every registry client uses:
 *
 *   reference       := name [ ":" tag ] [ "@" digest ]
 *   name            := [domain "/"] remote-name
 *   domain          := host [":" port]          host: DNS labels joined by ".", or [IPv6]
 *   remote-name     := path-component ("/" path-component)*
 *   path-component  := [a-z0-9]+ (separator [a-z0-9]+)*     separator := "." | "_" | "__" | "-"+
 *   tag             := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest          := algorithm ":" encoded
 *   algorithm       := [a-z0-9]+ ([+._-] [a-z0-9]+)*          encoded := [a-fA-F0-9]{32,}
 *
 * The first component is a domain when it holds a "." or a ":" or is "localhost" (or has an upper-case
 * letter, which a path component cannot); otherwise the name is on Docker Hub.
 */
import { ImageRefError } from './errors.js';

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}';

const NAME_RE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)$`);
const TAG_RE = new RegExp(`^${TAG}$`);
const DIGEST_RE = new RegExp(`^${DIGEST}$`);
const PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
/** Registered algorithms have fixed lengths; others only need 32+ hex characters. */
const DIGEST_LENGTHS: Record<string, number> = { sha256: 64, sha512: 128 };

const NAME_MAX = 255;

export interface ImageReference {
  /** The name as written (domain included when written), e.g. `ghcr.io/acme/model-server` or `nginx`. */
  name: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** Why `text` is not a valid name/tag/digest, or undefined when it is. */
export function nameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name.length > NAME_MAX) return `it is ${name.length} characters long (at most ${NAME_MAX})`;
  const m = NAME_RE.exec(name);
  if (!m) {
    if (
      /[A-Z]/.test(
        name
          .split('/')
          .slice(name.includes('/') ? 1 : 0)
          .join('/'),
      )
    )
      return 'repository names must be lower case';
    if (/\s/.test(name)) return 'it contains white space';
    return 'it is not a valid repository name ([registry/]path with lower-case letters, digits and . _ - separators)';
  }
  const [, domain, path] = m;
  // The regex may read a first path component (`acme/app`) as a domain: then the whole name must be a path.
  if (domain !== undefined && !looksLikeDomain(domain) && !PATH_RE.test(name))
    return 'it is not a valid repository name';
  if (domain === undefined && path !== undefined && !PATH_RE.test(path)) return 'it is not a valid repository name';
  return undefined;
}

export function tagProblem(tag: string): string | undefined {
  if (TAG_RE.test(tag)) return undefined;
  if (tag.length > 128) return `it is ${tag.length} characters long (at most 128)`;
  return 'a tag is 1-128 letters, digits, _ . - and cannot start with . or -';
}

export function digestProblem(digest: string): string | undefined {
  const m = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-fA-F0-9]+)$/.exec(digest);
  if (!m) return 'a digest is algorithm:hex, e.g. sha256: followed by 64 hex digits';
  const [, algorithm, encoded] = m as unknown as [string, string, string];
  const want = DIGEST_LENGTHS[algorithm];
  if (want !== undefined && encoded.length !== want)
    return `a ${algorithm} digest has ${want} hex digits, this one has ${encoded.length}`;
  if (want !== undefined && /[A-F]/.test(encoded)) return `a ${algorithm} digest is lower-case hex`;
  if (!DIGEST_RE.test(digest)) return `a digest has at least 32 hex digits, this one has ${encoded.length}`;
  return undefined;
}

function looksLikeDomain(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || /[A-Z]/.test(component);
}

/** Parses `name[:tag][@digest]`; throws an ImageRefError saying what is wrong. */
export function parseReference(text: string): ImageReference {
  const r = tryParseReference(text);
  if (typeof r === 'string') throw new ImageRefError(r);
  return r;
}

/** The parsed reference, or a sentence saying why `text` is not one. */
export function tryParseReference(text: string): ImageReference | string {
  if (text !== text.trim()) return 'it has leading or trailing white space';
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const p = digestProblem(digest);
    if (p) return `its digest "${digest}" is not valid: ${p}`;
  }
  let tag: string | undefined;
  // A tag's colon comes after the last slash; a colon before it belongs to the domain's port.
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    const p = tagProblem(tag);
    if (p) return `its tag "${tag}" is not valid: ${p}`;
  }
  const p = nameProblem(rest);
  if (p) return `its name "${rest}" is not valid: ${p}`;
  return { name: rest, tag, digest };
}

export function formatReference(ref: ImageReference): string {
  return `${ref.name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/**
 * The fully qualified form of a name, as the container runtime resolves it: `nginx` →
 * `docker.io/library/nginx`, `acme/app` → `docker.io/acme/app`, `index.docker.io/x` → `docker.io/x`.
 * Two names denote the same repository when their canonical forms are equal.
 */
export function canonicalName(name: string): string {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  let domain = 'docker.io';
  let path = name;
  if (slash >= 0 && looksLikeDomain(first)) {
    domain = first === 'index.docker.io' ? 'docker.io' : first;
    path = name.slice(slash + 1);
  }
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return `${domain}/${path}`;
}

/** Whether the name starts with a registry host (`ghcr.io/acme/app`, `localhost:5000/app`), not a Docker Hub path. */
export function hasRegistryHost(name: string): boolean {
  const slash = name.indexOf('/');
  return slash > 0 && looksLikeDomain(name.slice(0, slash));
}

export function sameRepository(a: string, b: string): boolean {
  return canonicalName(a) === canonicalName(b);
}
