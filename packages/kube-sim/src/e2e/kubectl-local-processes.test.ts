import {
  eventually,
  kubectlFixture,
  KubectlFixture,
  TEST_INTERNALS,
} from '../__testUtils__/kubectl';
import { LOCAL_IMAGES } from '../__testUtils__/localImages';

jest.setTimeout(180_000);

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: { name: bench }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: echo, namespace: bench }
spec:
  replicas: 1
  selector: { matchLabels: { app: echo } }
  template:
    metadata: { labels: { app: echo } }
    spec:
      containers:
        - name: echo
          image: meshstage/echo:0.1.0
          ports: [{ name: http, containerPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: echo, namespace: bench }
spec:
  selector: { app: echo }
  ports: [{ port: 8080, targetPort: http }]
`;

const JOB = `
apiVersion: batch/v1
kind: Job
metadata: { name: hit, namespace: bench }
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: loadgen
          image: meshstage/loadgen
          command: [meshperf]
          args: ['http://echo:8080/', '-n', '20', '-c', '1']
`;

describe('kubectl against local processes', () => {
  let f: KubectlFixture;
  beforeAll(async () => {
    f = await kubectlFixture({ localImages: LOCAL_IMAGES }, TEST_INTERNALS);
  });
  afterAll(() => f.close());

  it('kubectl logs job/<name> and kubectl logs <pod> show the processes output', async () => {
    await f.ok(['apply', '-f', f.file('echo.yaml', MANIFESTS)]);
    await eventually(async () => {
      const out = await f.ok([
        '-n',
        'bench',
        'get',
        'pods',
        '-l',
        'app=echo',
        '-o',
        'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}',
      ]);
      return out.trim() === 'True';
    }, 60_000);
    await f.ok(['apply', '-f', f.file('job.yaml', JOB)]);
    await eventually(async () => {
      const out = await f.ok([
        '-n',
        'bench',
        'get',
        'job',
        'hit',
        '-o',
        'jsonpath={.status.succeeded}',
      ]);
      return out.trim() === '1';
    }, 90_000);
    const logs = await f.ok(['-n', 'bench', 'logs', 'job/hit']);
    expect(logs).toContain('Target     http://echo:8080/ (GET, HTTP/1.1)');
    expect(logs).toMatch(/Status {5}200: 20/);
    expect(logs).toMatch(/Errors {5}none/);

    const pod = (
      await f.ok(['-n', 'bench', 'get', 'pods', '-l', 'app=echo', '-o', 'name'])
    ).trim();
    const echoLogs = await f.ok(['-n', 'bench', 'logs', pod]);
    expect(echoLogs).toMatch(/meshperf server listening on 127\.0\.0\.1:\d+/);
    const table = await f.ok([
      '-n',
      'bench',
      'get',
      'pods',
      '-l',
      'job-name=hit',
    ]);
    expect(table).toMatch(/hit-\S+\s+0\/1\s+Completed\s+0/);
  });
});
