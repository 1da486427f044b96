import fs from 'node:fs';
import path from 'node:path';
import { validateManifests } from '@meshstage/validation';
import { LinkerdAdapter } from '../LinkerdAdapter';

const FIXTURE = path.resolve(
  __dirname,
  '../__fixtures__/policy/broken-policy.yaml',
);

describe('the broken Linkerd policy fixture', () => {
  it('gets exactly its planted findings from every rule there is, each at its line', () => {
    const text = fs.readFileSync(FIXTURE, 'utf8');
    const planted = text.split('\n').flatMap((line, i) => {
      const m = /#\s*expect:\s*(MS\d{4})/.exec(line);
      return m ? [`${m[1]}:${i + 1}`] : [];
    });
    const { findings } = validateManifests(
      [{ file: 'broken-policy.yaml', text }],
      { adapters: [new LinkerdAdapter()], now: Date.now() },
    );
    expect(findings.map(f => `${f.code}:${f.source?.line}`)).toEqual(planted);
    expect(planted).toHaveLength(6);
  });
});
