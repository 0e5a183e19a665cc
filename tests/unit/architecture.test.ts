/**
 * The shape of the code, checked: the engine never imports a front end or the cache, and no module
 * under src/ or commands/ imports itself back through others. A small reader of the TypeScript import
 * statements (type-only ones included: a type cycle is still two modules that cannot be read apart).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every .ts file under `dir`, relative to the repository root, with forward slashes. */
function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/')));
}

/** The relative modules a file imports or re-exports, statically or dynamically, as repository paths. */
function importsOf(file: string, text: string): string[] {
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gms),
    ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s)));
}

function graph(): Map<string, string[]> {
  const files = [...sources('src'), ...sources('commands')];
  return new Map(files.map((f) => [f, importsOf(f, readFileSync(path.join(ROOT, f), 'utf8'))]));
}

/** Each import cycle once, as the chain of files that closes it (Tarjan's strongly connected components). */
function cycles(edges: Map<string, string[]>): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    order.set(v, order.size);
    low.set(v, order.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) !== order.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (edges.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of edges.keys()) if (!order.has(v)) visit(v);
  return found;
}

describe('the shape of the code', () => {
  const edges = graph();

  it('reads the imports it checks', () => {
    expect(edges.get('src/engine/engine.ts')).toContain('src/engine/brief.ts');
    expect(importsOf('src/a/b.ts', "import type { X } from '../c.ts';\nexport { y } from './d.ts';")).toEqual(
      ['src/c.ts', 'src/a/d.ts'],
    );
  });

  it('keeps the engine free of front ends and of the cache', () => {
    const forbidden = ['src/discord/', 'commands/', 'src/cache/', 'src/render/', 'src/cli.ts'];
    const offending = [...edges]
      .filter(([file]) => file.startsWith('src/engine/'))
      .flatMap(([file, imports]) =>
        imports.filter((i) => forbidden.some((f) => i.startsWith(f))).map((i) => `${file} → ${i}`),
      );
    expect(offending).toEqual([]);
  });

  it('has no import cycle under src/ or commands/', () => {
    expect(cycles(edges).map((c) => c.join(' ↔ '))).toEqual([]);
  });

  it('would see a cycle', () => {
    const looped = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(looped)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
