import { KnobError, parseKnobs, pick } from './knobs';

const q = (s: string) => new URLSearchParams(s);

describe('echo knobs', () => {
  it('reads fortio-style delay and status lists with probabilities', () => {
    const k = parseKnobs(q('delay=250ms:10,5ms:60&status=503:20,429:5'));
    expect(k.delay).toEqual([
      { value: 250, percent: 10 },
      { value: 5, percent: 60 },
    ]);
    expect(k.status).toEqual([
      { value: 503, percent: 20 },
      { value: 429, percent: 5 },
    ]);
    expect(parseKnobs(q('status=503')).status).toEqual([
      { value: 503, percent: 100 },
    ]);
    expect(parseKnobs(q('close=true')).close).toBe(true);
  });

  it('picks by cumulative probability and falls back past the listed share', () => {
    const list = parseKnobs(q('status=503:20,429:5')).status;
    expect(pick(list, 0.1, 200)).toBe(503);
    expect(pick(list, 0.22, 200)).toBe(429);
    expect(pick(list, 0.5, 200)).toBe(200);
  });

  it.each([
    ['status=99', /invalid status/],
    ['status=abc', /invalid status/],
    ['delay=soon', /invalid delay/],
    ['delay=2m', /above the 60s limit/],
    ['status=503:120', /probability must be 0 to 100/],
    ['status=503:60,500:60', /add up to 120%/],
  ])('rejects %s', (text, message) => {
    expect(() => parseKnobs(q(text))).toThrow(KnobError);
    expect(() => parseKnobs(q(text))).toThrow(message);
  });
});
