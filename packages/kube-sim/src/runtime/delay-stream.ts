import { Transform } from 'node:stream';

/**
 * A pass-through stream that hands on every chunk `ms` after it arrived, in order: what a slow
 * hop on the path adds to each request. Timers of one duration fire in the order they were set,
 * so chunks never overtake each other; the end waits for the chunks still held.
 */
export function delayStream(ms: number): Transform {
  let held = 0;
  let ended: (() => void) | undefined;
  const timers = new Set<NodeJS.Timeout>();
  return new Transform({
    transform(chunk, _encoding, done) {
      held++;
      const timer = setTimeout(() => {
        timers.delete(timer);
        this.push(chunk);
        if (--held === 0) ended?.();
      }, ms);
      timers.add(timer);
      done();
    },
    flush(done) {
      if (held === 0) done();
      else ended = done;
    },
    destroy(error, done) {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      done(error);
    },
  });
}
