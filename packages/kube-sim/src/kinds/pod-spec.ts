import { FieldError, fieldError } from '../validation/field-errors';
import { dns1123Label } from '../validation/names';
import { isObject, JsonObject } from '../util/objects';

/** imagePullPolicy default: Always for `:latest` or untagged images, else IfNotPresent. */
export function defaultPullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: JsonObject): void {
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  if (Array.isArray(c.ports))
    for (const p of c.ports) if (isObject(p)) p.protocol ??= 'TCP';
  if (Array.isArray(c.env)) {
    for (const e of c.env) {
      if (
        isObject(e) &&
        isObject(e.valueFrom) &&
        isObject(e.valueFrom.fieldRef)
      ) {
        (e.valueFrom.fieldRef as JsonObject).apiVersion ??= 'v1';
      }
    }
  }
}

/** The defaults the API server fills into a PodSpec (also inside pod templates). */
export function defaultPodSpec(spec: JsonObject): void {
  for (const list of ['containers', 'initContainers']) {
    const cs = spec[list];
    if (Array.isArray(cs))
      for (const c of cs) if (isObject(c)) defaultContainer(c);
  }
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  if (spec.serviceAccountName && !spec.serviceAccount)
    spec.serviceAccount = spec.serviceAccountName;
  if (Array.isArray(spec.volumes)) {
    for (const v of spec.volumes) {
      if (!isObject(v)) continue;
      if (isObject(v.configMap))
        (v.configMap as JsonObject).defaultMode ??= 420;
      if (isObject(v.secret)) (v.secret as JsonObject).defaultMode ??= 420;
    }
  }
}

function validatePort(value: unknown, field: string, errs: FieldError[]): void {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > 65535
  ) {
    errs.push(
      fieldError.invalid(
        field,
        value,
        'must be between 1 and 65535, inclusive',
      ),
    );
  }
}

function validateContainers(
  list: unknown,
  path: string,
  errs: FieldError[],
  required: boolean,
): void {
  if (!Array.isArray(list) || list.length === 0) {
    if (required) errs.push(fieldError.required(path));
    return;
  }
  const seen = new Set<string>();
  list.forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(c)) {
      errs.push(fieldError.invalid(p, c, 'must be an object'));
      return;
    }
    if (typeof c.name !== 'string' || c.name === '') {
      errs.push(fieldError.required(`${p}.name`));
    } else {
      for (const m of dns1123Label(c.name))
        errs.push(fieldError.invalid(`${p}.name`, c.name, m));
      if (seen.has(c.name))
        errs.push(fieldError.duplicate(`${p}.name`, c.name));
      seen.add(c.name);
    }
    if (typeof c.image !== 'string' || c.image.trim() === '')
      errs.push(fieldError.required(`${p}.image`));
    if (Array.isArray(c.ports)) {
      c.ports.forEach((port, j) => {
        if (!isObject(port)) return;
        const pp = `${p}.ports[${j}]`;
        if (port.containerPort === undefined)
          errs.push(fieldError.required(`${pp}.containerPort`));
        else validatePort(port.containerPort, `${pp}.containerPort`, errs);
        if (
          port.protocol !== undefined &&
          !['TCP', 'UDP', 'SCTP'].includes(String(port.protocol))
        ) {
          errs.push(
            fieldError.notSupported(`${pp}.protocol`, port.protocol, [
              'SCTP',
              'TCP',
              'UDP',
            ]),
          );
        }
      });
    }
    if (Array.isArray(c.env)) {
      c.env.forEach((e, j) => {
        if (isObject(e) && (typeof e.name !== 'string' || e.name === ''))
          errs.push(fieldError.required(`${p}.env[${j}].name`));
      });
    }
  });
}

/** Validates a PodSpec at `path` (`spec` for pods, `spec.template.spec` for workloads). */
export function validatePodSpec(
  spec: unknown,
  path: string,
  allowedRestart?: string[],
): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObject(spec)) {
    errs.push(fieldError.required(`${path}.containers`));
    return errs;
  }
  validateContainers(spec.containers, `${path}.containers`, errs, true);
  validateContainers(
    spec.initContainers,
    `${path}.initContainers`,
    errs,
    false,
  );
  const rp = spec.restartPolicy;
  if (
    rp !== undefined &&
    !['Always', 'OnFailure', 'Never'].includes(String(rp))
  ) {
    errs.push(
      fieldError.notSupported(`${path}.restartPolicy`, rp, [
        'Always',
        'OnFailure',
        'Never',
      ]),
    );
  } else if (
    allowedRestart &&
    rp !== undefined &&
    !allowedRestart.includes(String(rp))
  ) {
    errs.push(
      fieldError.notSupported(`${path}.restartPolicy`, rp, allowedRestart),
    );
  }
  if (Array.isArray(spec.volumes)) {
    const seen = new Set<string>();
    spec.volumes.forEach((v, i) => {
      if (!isObject(v)) return;
      if (typeof v.name !== 'string' || !v.name)
        errs.push(fieldError.required(`${path}.volumes[${i}].name`));
      else if (seen.has(v.name))
        errs.push(fieldError.duplicate(`${path}.volumes[${i}].name`, v.name));
      else seen.add(String(v.name));
    });
  }
  return errs;
}
