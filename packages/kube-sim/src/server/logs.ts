import type { IncomingMessage, ServerResponse } from 'node:http';
import { KubeObject, meta } from '../api/types';
import { LogLine, LogStore } from '../runtime/logs';
import { isObject, JsonObject } from '../util/objects';
import { errors } from './status';
import { WatchRegistry } from './watch';

function names(list: unknown): string[] {
  return Array.isArray(list)
    ? list.filter(isObject).map(c => String(c.name))
    : [];
}

/** Serves GET pods/<name>/log: text/plain, `follow` keeps streaming until the pod is gone. */
export function serveLogs(
  req: IncomingMessage,
  res: ServerResponse,
  pod: KubeObject,
  query: URLSearchParams,
  logs: LogStore,
  watches: WatchRegistry,
): void {
  const m = meta(pod);
  const name = m.name!;
  const ns = m.namespace ?? '';
  const spec = (pod.spec ?? {}) as JsonObject;
  const containers = names(spec.containers);
  const inits = names(spec.initContainers);
  const ephemeral = names(spec.ephemeralContainers);
  let container = query.get('container') ?? '';
  if (!container) {
    if (containers.length === 1) container = containers[0];
    else {
      throw errors.badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${containers.join(
          ' ',
        )}]${
          inits.length
            ? ` or one of the init containers: [${inits.join(' ')}]`
            : ''
        }`,
      );
    }
  }
  if (![...containers, ...inits, ...ephemeral].includes(container)) {
    throw errors.badRequest(
      `container ${container} is not valid for pod ${name}`,
    );
  }
  const previous = query.get('previous') === 'true';
  const previousLines = logs.readPrevious(ns, name, container);
  if (previous && !previousLines) {
    throw errors.badRequest(
      `previous terminated container "${container}" in pod "${name}" not found`,
    );
  }
  const status = (pod.status ?? {}) as JsonObject;
  const statuses = [
    ...(Array.isArray(status.containerStatuses)
      ? status.containerStatuses
      : []),
    ...(Array.isArray(status.initContainerStatuses)
      ? status.initContainerStatuses
      : []),
  ].filter(isObject);
  const cs = statuses.find(s => s.name === container);
  const state = isObject(cs?.state) ? (cs!.state as JsonObject) : {};
  // Waiting to restart: the last instance's log is what there is, as the kubelet serves it.
  const restarting = isObject(state.waiting) && !!previousLines;
  if (!previous && !restarting && (!cs || isObject(state.waiting))) {
    const reason = isObject(state.waiting)
      ? String((state.waiting as JsonObject).reason ?? 'ContainerCreating')
      : 'ContainerCreating';
    throw errors.badRequest(
      `container "${container}" in pod "${name}" is waiting to start: ${reason}`,
    );
  }
  const timestamps = query.get('timestamps') === 'true';
  const fmt = (l: LogLine) => `${timestamps ? `${l.time} ` : ''}${l.text}\n`;
  let lines =
    previous || restarting
      ? previousLines ?? []
      : logs.read(ns, name, container);
  const since = Number(query.get('sinceSeconds') ?? '');
  if (since > 0) {
    const cutoff = Date.now() - since * 1000;
    lines = lines.filter(l => Date.parse(l.time) >= cutoff);
  }
  const tail = query.get('tailLines');
  if (tail !== null && Number(tail) >= 0)
    lines = Number(tail) === 0 ? [] : lines.slice(-Number(tail));
  let text = lines.map(fmt).join('');
  const limit = Number(query.get('limitBytes') ?? '');
  if (limit > 0) text = text.slice(0, limit);
  const follow = query.get('follow') === 'true';
  res.writeHead(200, {
    'Content-Type': 'text/plain',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  res.write(text);
  // A stopped container's log is complete: following it ends at once.
  if (!follow || previous || restarting || isObject(state.terminated)) {
    res.end();
    return;
  }
  let done = false;
  const cleanups: (() => void)[] = [];
  const end = () => {
    if (done) return;
    done = true;
    for (const c of cleanups) c();
    res.end();
  };
  cleanups.push(
    logs.follow(ns, name, container, line =>
      line ? res.write(fmt(line)) : end(),
    ),
  );
  cleanups.push(watches.add(end));
  req.on('close', end);
}
