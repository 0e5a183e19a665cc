import { describe, expect, it } from 'vitest';
import { appended, trimmed, withRoom } from '../../src/engine/index/typed.ts';

describe('appended', () => {
  it('copies an array it did not make, with room to grow', () => {
    const a = Uint32Array.of(1, 2, 3);
    const b = appended(a, [4, 5]);
    expect([...b]).toEqual([1, 2, 3, 4, 5]);
    expect(b.buffer).not.toBe(a.buffer);
    expect(b.buffer.byteLength).toBeGreaterThan(b.byteLength);
  });

  it('grows in place into that room, leaving the shorter view as it was', () => {
    const a = appended(new Uint32Array(0), [1, 2, 3]);
    const b = appended(a, [4, 5]);
    const c = appended(b, [6], 10);
    expect(c.buffer).toBe(a.buffer);
    expect([...a]).toEqual([1, 2, 3]);
    expect([...b]).toEqual([1, 2, 3, 4, 5]);
    expect([...c]).toEqual([1, 2, 3, 4, 5, 16]);
  });

  it('copies an array whose room a longer view already took, so that neither overwrites the other', () => {
    const a = appended(new Int32Array(0), [1, 2]);
    const first = appended(a, [3]);
    const second = appended(a, [-3]);
    expect(second.buffer).not.toBe(first.buffer);
    expect([...first]).toEqual([1, 2, 3]);
    expect([...second]).toEqual([1, 2, -3]);
    // The first goes on growing in place; the second, now the longest view of its own copy, too.
    expect(appended(first, [4]).buffer).toBe(first.buffer);
    expect(appended(second, [-4]).buffer).toBe(second.buffer);
  });

  it('copies when the room runs out, keeping the values', () => {
    let a = withRoom(Uint8Array, 0);
    const buffers = new Set<ArrayBufferLike>();
    for (let i = 0; i < 5000; i++) {
      a = appended(a, [i & 0xff]);
      buffers.add(a.buffer);
    }
    expect(a.length).toBe(5000);
    expect(a.every((v, i) => v === (i & 0xff))).toBe(true);
    // Geometric growth (an eighth to spare, and at least 1024): a few copies, not one per append.
    expect(buffers.size).toBeLessThan(10);
  });

  it('grows a builder array handed out as a view of its buffer in place', () => {
    const buffer = new Uint32Array(100);
    buffer.set([7, 8, 9]);
    const view = trimmed(buffer, 95);
    expect(appended(view, [1]).buffer).toBe(buffer.buffer);
    // A mostly empty buffer is handed out as a compact copy instead, with no room.
    const compact = trimmed(buffer, 3);
    expect(appended(compact, [1]).buffer).not.toBe(compact.buffer);
  });
});
