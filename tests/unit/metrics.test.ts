import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry } from '../../src/http/metrics.ts';

describe('Prometheus text format', () => {
  it('writes counters, gauges and cumulative histogram buckets, escaping label values', () => {
    const registry = new Registry();
    const c = registry.add(new Counter('t_total', 'A counter.'));
    c.inc({ command: 'say "hi"\\now' });
    c.inc({ command: 'say "hi"\\now' }, 2);
    registry.add(new Gauge('t_gauge', 'A gauge.', () => [{ labels: { version: 'abc' }, value: 1 }]));
    const h = registry.add(new Histogram('t_seconds', 'A histogram.', [0.1, 1]));
    h.observe({ command: 'x' }, 0.05);
    h.observe({ command: 'x' }, 0.5);
    h.observe({ command: 'x' }, 5);
    expect(registry.render()).toBe(
      [
        '# HELP t_total A counter.',
        '# TYPE t_total counter',
        't_total{command="say \\"hi\\"\\\\now"} 3',
        '# HELP t_gauge A gauge.',
        '# TYPE t_gauge gauge',
        't_gauge{version="abc"} 1',
        '# HELP t_seconds A histogram.',
        '# TYPE t_seconds histogram',
        't_seconds_bucket{command="x",le="0.1"} 1',
        't_seconds_bucket{command="x",le="1"} 2',
        't_seconds_bucket{command="x",le="+Inf"} 3',
        't_seconds_sum{command="x"} 5.55',
        't_seconds_count{command="x"} 3',
        '',
      ].join('\n'),
    );
  });

  it('leaves out a gauge whose source is not there yet, and refuses a name twice', () => {
    const registry = new Registry();
    registry.add(
      new Gauge('t_up', 'Up.', () => {
        throw new Error('not connected');
      }),
    );
    expect(registry.render()).toBe('# HELP t_up Up.\n# TYPE t_up gauge\n');
    expect(() => registry.add(new Counter('t_up', 'again'))).toThrow(/twice/);
  });
});
