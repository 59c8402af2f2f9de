/**
 * @module infra/docker/dockerignore
 * Decides whether a path is left out of the Docker build context by a `.dockerignore`, with the
 * semantics of Docker's pattern matcher: `*` and `?` stay within one path segment, `**` spans any
 * number of them, `!` re-includes, the last matching pattern wins, and a pattern that matches a
 * parent directory applies to everything under it. Tests use it to prove that every file the
 * Dockerfile copies reaches the build and that secrets and local state do not.
 */

interface Rule {
  negated: boolean;
  pattern: RegExp;
}

/** Parses `.dockerignore` text: one pattern a line, `#` comments and blank lines skipped. */
export function parseDockerignore(text: string): Rule[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const body = (negated ? line.slice(1) : line).replace(/^\/+/, '').replace(/\/+$/, '');
      return { negated, pattern: globToRegExp(body) };
    });
}

/** True when `relativePath` (from the context root, `/`-separated) is excluded from the context. */
export function isIgnored(relativePath: string, rules: readonly Rule[]): boolean {
  const candidates = ancestorsAndSelf(relativePath.replace(/^\.\//, ''));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.pattern.test(candidate))) ignored = !rule.negated;
  }
  return ignored;
}

function ancestorsAndSelf(path: string): string[] {
  const segments = path.split('/');
  return segments.map((_, index) => segments.slice(0, index + 1).join('/'));
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const character = glob[index] as string;
    if (character === '*' && glob[index + 1] === '*') {
      // `**/` may match no directory at all; a trailing `**` matches everything below.
      if (glob[index + 2] === '/') {
        source += '(?:.*/)?';
        index += 2;
      } else {
        source += '.*';
        index += 1;
      }
    } else if (character === '*') source += '[^/]*';
    else if (character === '?') source += '[^/]';
    else source += character.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
