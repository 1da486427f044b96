import { chunkExports } from './chunkExports';

describe('chunkExports', () => {
  const run = () => 0;

  it('keeps named exports as they are', () => {
    const mod = { run, default: { run } };
    expect(chunkExports(mod)).toBe(mod);
  });

  it('finds them under default when that is all import() shows', () => {
    const compiled = { run };
    expect(chunkExports({ default: compiled })).toBe(compiled);
  });
});
