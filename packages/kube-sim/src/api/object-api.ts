import { parse as parseYaml } from 'yaml';
import { strategyFor, validateObjectMeta } from '../kinds/strategies';
import { applyJsonPatch, PatchError } from '../patch/json-patch';
import {
  ApplyConflictError,
  decodeManagedFields,
  describeManager,
  encodeManagedFields,
  ManagerEntry,
  serverSideApply,
  trackUpdate,
} from '../patch/managed-fields';
import { formatPath } from '../patch/fieldset';
import { applyMergePatch } from '../patch/merge-patch';
import { applyStrategicMergePatch } from '../patch/strategic-merge';
import { SchemaCursor } from '../schema/cursor';
import {
  checkFieldSelector,
  matchesFields,
  parseFieldSelector,
} from '../selectors/field-selector';
import { matchesLabels, parseLabelSelector } from '../selectors/label-selector';
import { ApiError, errors } from '../server/status';
import { Store } from '../store/store';
import { FieldError, invalidError } from '../validation/field-errors';
import { clone, deepEqual, isObject, JsonObject } from '../util/objects';
import { newUid, randomSuffix } from '../util/random';
import { nowTimestamp } from '../util/time';
import { decodeObject, FieldValidation } from './decode';
import { toScale, withReplicas } from './scale';
import { Registry } from './registry';
import { apiVersionOf, KubeObject, meta, ResourceType } from './types';

/** Per-request options of a write. */
export interface WriteOptions {
  fieldManager: string;
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  /** Warnings for the response's Warning headers. */
  warnings?: string[];
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

/** A mutating admission step (sidecar injection, IP allocation), run on create and update. */
export interface AdmissionPlugin {
  admit(
    type: ResourceType,
    obj: KubeObject,
    old: KubeObject | undefined,
    api: ObjectApi,
    dryRun: boolean,
    /** Set for writes through a subresource (`status`, `scale`). */
    subresource?: string,
  ): void;
}

/** A validating admission step run before storing. */
export interface ValidationPlugin {
  validate(
    type: ResourceType,
    obj: KubeObject,
    old: KubeObject | undefined,
  ): FieldError[];
}

const SYSTEM_META = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
  'selfLink',
  'managedFields',
];

function withoutVolatile(o: KubeObject): unknown {
  const m = { ...meta(o) };
  delete m.resourceVersion;
  delete m.managedFields;
  return { ...o, metadata: m };
}

function specOf(o: KubeObject): unknown {
  const rest: JsonObject = { ...o };
  delete rest.metadata;
  delete rest.status;
  delete rest.apiVersion;
  delete rest.kind;
  return rest;
}

/**
 * The API semantics of every verb, independent of HTTP: defaults, admission,
 * validation, resourceVersion preconditions, generation, finalizers, managed
 * fields and server-side apply. HTTP handlers and controllers both write
 * through it, so controller writes look exactly like client writes.
 */
export class ObjectApi {
  private readonly admission: AdmissionPlugin[] = [];
  private readonly validators: ValidationPlugin[] = [];

  constructor(
    readonly store: Store,
    readonly registry: Registry,
    private readonly now: () => number = Date.now,
  ) {}

  addAdmission(plugin: AdmissionPlugin): void {
    this.admission.push(plugin);
  }

  addValidation(plugin: ValidationPlugin): void {
    this.validators.push(plugin);
  }

  timestamp(): string {
    return nowTimestamp(this.now());
  }

  /** The stored object as the given version serves it (CRD versions differ only in apiVersion). */
  convert(type: ResourceType, obj: KubeObject): KubeObject {
    const av = apiVersionOf(type);
    if (obj.apiVersion === av && obj.kind === type.kind) return obj;
    return { ...obj, apiVersion: av, kind: type.kind };
  }

  private notFound(type: ResourceType, name: string): ApiError {
    return errors.notFound(type.plural, type.group, name);
  }

  get(type: ResourceType, namespace: string, name: string): KubeObject {
    const obj = this.store.get(
      type.storageKey,
      type.namespaced ? namespace : '',
      name,
    );
    if (!obj) throw this.notFound(type, name);
    return this.convert(type, obj);
  }

  tryGet(
    type: ResourceType,
    namespace: string,
    name: string,
  ): KubeObject | undefined {
    const obj = this.store.get(
      type.storageKey,
      type.namespaced ? namespace : '',
      name,
    );
    return obj ? this.convert(type, obj) : undefined;
  }

  /** Filters for list and watch from the query's selectors (400 on bad syntax or unsupported fields). */
  matcher(
    type: ResourceType,
    opts: { labelSelector?: string; fieldSelector?: string },
  ): (o: KubeObject) => boolean {
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(opts.fieldSelector);
    checkFieldSelector(fields, type.plural, type.crd?.selectableFields ?? []);
    if (labels.length === 0 && fields.length === 0) return () => true;
    return o =>
      matchesLabels(labels, meta(o).labels) && matchesFields(fields, o);
  }

  list(
    type: ResourceType,
    namespace: string | undefined,
    opts: ListOptions = {},
  ): ListResult {
    const match = this.matcher(type, opts);
    const rv = String(this.store.resourceVersion);
    let items = this.store
      .list(type.storageKey, type.namespaced ? namespace : undefined)
      .filter(match);
    if (opts.continue) {
      let start: string;
      try {
        start = JSON.parse(
          Buffer.from(opts.continue, 'base64').toString('utf8'),
        ).start;
      } catch {
        throw errors.badRequest(
          'continue key is not valid: illegal base64 data at input byte 0',
        );
      }
      items = items.filter(
        o => `${meta(o).namespace ?? ''}/${meta(o).name}` > start,
      );
    }
    const result: ListResult = { items, resourceVersion: rv };
    if (opts.limit && opts.limit > 0 && items.length > opts.limit) {
      const page = items.slice(0, opts.limit);
      const last = page[page.length - 1];
      result.items = page;
      result.remainingItemCount = items.length - opts.limit;
      result.continue = Buffer.from(
        JSON.stringify({
          v: 'meta.k8s.io/v1',
          rv: Number(rv),
          start: `${meta(last).namespace ?? ''}/${meta(last).name}`,
        }),
      ).toString('base64');
    }
    result.items = result.items.map(o => this.convert(type, o));
    return result;
  }

  private cursor(type: ResourceType): SchemaCursor {
    return new SchemaCursor(type.schema, type.defs);
  }

  private checkNamespace(
    type: ResourceType,
    namespace: string,
    creating: boolean,
  ): void {
    if (!type.namespaced) return;
    const ns = this.store.get('/namespaces', '', namespace);
    if (!ns) throw errors.notFound('namespaces', '', namespace);
    if (creating && meta(ns).deletionTimestamp) {
      throw errors.forbidden(
        type.plural,
        type.group,
        '',
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  private runValidation(
    type: ResourceType,
    obj: KubeObject,
    old: KubeObject | undefined,
    schemaErrors: FieldError[],
  ): void {
    const strat = strategyFor(type);
    const errs: FieldError[] = [
      ...validateObjectMeta(type, obj),
      ...schemaErrors,
    ];
    if (strat.validate) errs.push(...strat.validate(obj));
    if (old && strat.validateUpdate)
      errs.push(...strat.validateUpdate(obj, old));
    for (const v of this.validators) errs.push(...v.validate(type, obj, old));
    if (errs.length > 0)
      throw invalidError(type.kind, type.group, meta(obj).name ?? '', errs);
  }

  private admit(
    type: ResourceType,
    obj: KubeObject,
    old: KubeObject | undefined,
    dryRun: boolean,
    subresource?: string,
  ): void {
    for (const a of this.admission)
      a.admit(type, obj, old, this, dryRun, subresource);
  }

  /** POST: creates an object (201). */
  create(
    type: ResourceType,
    namespace: string,
    body: unknown,
    opts: WriteOptions,
  ): KubeObject {
    const decoded = decodeObject(type, body, opts.fieldValidation ?? 'Warn');
    opts.warnings?.push(...decoded.warnings);
    return this.createDecoded(
      type,
      namespace,
      decoded.object,
      decoded.schemaErrors,
      opts,
      undefined,
    );
  }

  private createDecoded(
    type: ResourceType,
    namespace: string,
    obj: KubeObject,
    schemaErrors: FieldError[],
    opts: WriteOptions,
    applyEntries: ManagerEntry[] | undefined,
  ): KubeObject {
    const m: JsonObject = isObject(obj.metadata) ? { ...obj.metadata } : {};
    obj.metadata = m;
    if (type.namespaced) {
      if (
        m.namespace !== undefined &&
        m.namespace !== '' &&
        m.namespace !== namespace
      ) {
        throw errors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      m.namespace = namespace;
    } else {
      delete m.namespace;
    }
    for (const k of SYSTEM_META) if (k !== 'managedFields') delete m[k];
    delete m.managedFields;
    if (!m.name && typeof m.generateName === 'string' && m.generateName) {
      let name = '';
      for (let i = 0; i < 10; i++) {
        name = `${m.generateName}${randomSuffix(5)}`;
        if (
          !this.store.get(
            type.storageKey,
            type.namespaced ? namespace : '',
            name,
          )
        )
          break;
      }
      m.name = name;
    }
    m.uid = newUid();
    m.creationTimestamp = this.timestamp();
    if (type.tracksGeneration) m.generation = 1;
    if (
      type.statusSubresource &&
      type.storageKey !== '/pods' &&
      type.storageKey !== '/namespaces' &&
      type.storageKey !== '/services'
    ) {
      delete obj.status;
    }
    if (type.storageKey === '/pods')
      obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
    strategyFor(type).defaults?.(obj);
    if (m.name) this.checkNamespace(type, namespace, true);
    this.admit(type, obj, undefined, !!opts.dryRun);
    // webhooks' additions are defaulted like the user's fields
    strategyFor(type).defaults?.(obj);
    this.runValidation(type, obj, undefined, schemaErrors);
    const md = obj.metadata as JsonObject;
    const name = String(md.name);
    if (
      this.store.get(type.storageKey, type.namespaced ? namespace : '', name)
    ) {
      throw errors.alreadyExists(type.plural, type.group, name);
    }
    const entries =
      applyEntries ??
      trackUpdate({
        before: undefined,
        after: obj,
        entries: [],
        manager: opts.fieldManager,
        apiVersion: apiVersionOf(type),
        hasStatusSubresource: type.statusSubresource,
        cursor: this.cursor(type),
        time: this.timestamp(),
      });
    md.managedFields = encodeManagedFields(entries);
    if ((md.managedFields as unknown[]).length === 0) delete md.managedFields;
    if (opts.dryRun) return obj;
    return this.convert(type, this.store.put(type.storageKey, obj));
  }

  /** PUT: replaces an object (or its status), with optimistic concurrency on resourceVersion. */
  update(
    type: ResourceType,
    namespace: string,
    name: string,
    body: unknown,
    opts: WriteOptions,
    subresource?: string,
  ): KubeObject {
    const decoded = decodeObject(type, body, opts.fieldValidation ?? 'Warn');
    opts.warnings?.push(...decoded.warnings);
    const obj = decoded.object;
    const bm = meta(obj);
    if (bm.name !== undefined && bm.name !== name) {
      throw errors.badRequest(
        `the name of the object (${bm.name}) does not match the name on the URL (${name})`,
      );
    }
    const existing = this.tryGet(type, namespace, name);
    if (!existing) {
      if (
        type.storageKey === '/events' ||
        type.storageKey === 'coordination.k8s.io/leases'
      ) {
        return this.createDecoded(
          type,
          namespace,
          obj,
          decoded.schemaErrors,
          opts,
          undefined,
        );
      }
      throw this.notFound(type, name);
    }
    if (
      bm.resourceVersion &&
      bm.resourceVersion !== meta(existing).resourceVersion
    ) {
      throw errors.conflict(type.plural, type.group, name);
    }
    if (bm.uid && bm.uid !== meta(existing).uid) {
      throw errors.conflict(
        type.plural,
        type.group,
        name,
        `Precondition failed: UID in precondition: ${
          bm.uid
        }, UID in object meta: ${meta(existing).uid}`,
      );
    }
    const next = this.mergeForUpdate(type, existing, obj, subresource);
    return this.commitUpdate(
      type,
      existing,
      next,
      decoded.schemaErrors,
      opts,
      subresource,
      undefined,
    );
  }

  /** Builds the object an update stores: system metadata from the live object; status per subresource. */
  private mergeForUpdate(
    type: ResourceType,
    existing: KubeObject,
    incoming: KubeObject,
    subresource?: string,
  ): KubeObject {
    if (subresource === 'status') {
      const next = clone(existing) as KubeObject;
      next.status = incoming.status;
      if (next.status === undefined) delete next.status;
      return next;
    }
    const next = clone(incoming) as KubeObject;
    const em = meta(existing);
    const m: JsonObject = { ...(isObject(next.metadata) ? next.metadata : {}) };
    for (const k of SYSTEM_META) {
      if (em[k] !== undefined) m[k] = clone(em[k]);
      else delete m[k];
    }
    m.name = em.name;
    if (type.namespaced) m.namespace = em.namespace;
    else delete m.namespace;
    next.metadata = m;
    if (type.statusSubresource) {
      if (existing.status !== undefined) next.status = clone(existing.status);
      else delete next.status;
    }
    return next;
  }

  private commitUpdate(
    type: ResourceType,
    existing: KubeObject,
    next: KubeObject,
    schemaErrors: FieldError[],
    opts: WriteOptions,
    subresource: string | undefined,
    applyEntries: ManagerEntry[] | undefined,
  ): KubeObject {
    if (subresource !== 'status') strategyFor(type).defaults?.(next);
    if (type.storageKey === '/namespaces' && meta(existing).deletionTimestamp) {
      (next as JsonObject).status = clone(existing.status);
    }
    this.admit(type, next, existing, !!opts.dryRun, subresource);
    this.runValidation(type, next, existing, schemaErrors);
    const m = meta(next);
    if (type.tracksGeneration && !deepEqual(specOf(next), specOf(existing))) {
      m.generation = (meta(existing).generation ?? 0) + 1;
    }
    const entries =
      applyEntries ??
      trackUpdate({
        before: existing,
        after: next,
        entries: decodeManagedFields(meta(existing).managedFields),
        manager: opts.fieldManager,
        apiVersion: apiVersionOf(type),
        subresource,
        hasStatusSubresource: type.statusSubresource,
        cursor: this.cursor(type),
        time: this.timestamp(),
      });
    const encoded = encodeManagedFields(entries);
    if (encoded.length > 0) m.managedFields = encoded;
    else delete m.managedFields;

    const em = meta(existing);
    if (
      em.deletionTimestamp &&
      (m.finalizers ?? []).length === 0 &&
      type.storageKey !== '/namespaces'
    ) {
      if (opts.dryRun) return next;
      const gone = this.store.remove(
        type.storageKey,
        type.namespaced ? em.namespace ?? '' : '',
        em.name!,
      );
      return this.convert(type, gone ?? next);
    }
    if (deepEqual(withoutVolatile(next), withoutVolatile(existing))) {
      // nothing but managed-field timestamps changed: a no-op, no new resourceVersion
      if (
        deepEqual(
          decodeManagedFields(m.managedFields).map(e => [...e.fields]),
          decodeManagedFields(em.managedFields).map(e => [...e.fields]),
        )
      ) {
        return existing;
      }
    }
    if (opts.dryRun) return next;
    return this.convert(type, this.store.put(type.storageKey, next));
  }

  /** PATCH in any of the four patch types; apply creates a missing object. */
  patch(
    type: ResourceType,
    namespace: string,
    name: string,
    patchType: PatchType,
    rawBody: string,
    opts: WriteOptions & { force?: boolean },
    subresource?: string,
  ): { object: KubeObject; created: boolean } {
    if (patchType === 'strategic' && !type.strategicMerge) {
      throw errors.unsupportedMediaType(
        'application/strategic-merge-patch+json',
        [
          'application/json-patch+json',
          'application/merge-patch+json',
          'application/apply-patch+yaml',
        ],
      );
    }
    if (patchType === 'apply')
      return this.apply(type, namespace, name, rawBody, opts, subresource);
    let patchBody: unknown;
    try {
      patchBody = JSON.parse(rawBody);
    } catch (e) {
      throw errors.badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    const existing = this.tryGet(type, namespace, name);
    if (!existing) throw this.notFound(type, name);
    let patched: unknown;
    try {
      if (patchType === 'json') patched = applyJsonPatch(existing, patchBody);
      else if (patchType === 'merge') {
        if (!isObject(patchBody))
          throw new PatchError('merge patch must be a JSON object');
        patched = applyMergePatch(existing, patchBody);
      } else
        patched = applyStrategicMergePatch(
          existing,
          patchBody,
          this.cursor(type),
        );
    } catch (e) {
      if (e instanceof PatchError) {
        throw new ApiError(
          422,
          'Invalid',
          `the server rejected our request due to an error in our request`,
          {
            name,
            group: type.group || undefined,
            kind: type.kind,
            causes: [
              {
                reason: 'FieldValueInvalid',
                message: e.message,
                field: 'patch',
              },
            ],
          },
        );
      }
      throw e;
    }
    if (!isObject(patched))
      throw errors.badRequest('the patch did not produce an object');
    const decoded = decodeObject(type, patched, opts.fieldValidation ?? 'Warn');
    opts.warnings?.push(...decoded.warnings);
    const pm = meta(decoded.object);
    if (
      pm.resourceVersion &&
      pm.resourceVersion !== meta(existing).resourceVersion
    ) {
      throw errors.conflict(type.plural, type.group, name);
    }
    if (pm.name !== name)
      throw errors.badRequest(
        `the name of the object (${pm.name}) does not match the name on the URL (${name})`,
      );
    const next = this.mergeForUpdate(
      type,
      existing,
      decoded.object,
      subresource,
    );
    return {
      object: this.commitUpdate(
        type,
        existing,
        next,
        decoded.schemaErrors,
        opts,
        subresource,
        undefined,
      ),
      created: false,
    };
  }

  private apply(
    type: ResourceType,
    namespace: string,
    name: string,
    rawBody: string,
    opts: WriteOptions & { force?: boolean },
    subresource?: string,
  ): { object: KubeObject; created: boolean } {
    if (!opts.fieldManager || opts.fieldManager === '') {
      throw errors.badRequest(
        'PATCH, application/apply-patch+yaml requests must have a fieldManager',
      );
    }
    let body: unknown;
    try {
      body = parseYaml(rawBody);
    } catch (e) {
      throw errors.badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
    if (!isObject(body))
      throw errors.badRequest(
        'error decoding YAML: the applied configuration must be an object',
      );
    if (!body.apiVersion || !body.kind) {
      throw errors.badRequest(
        `invalid object type: ${body.apiVersion ? '' : 'apiVersion'}${
          !body.apiVersion && !body.kind ? ', ' : ''
        }${body.kind ? '' : 'kind'} must be set`,
      );
    }
    const decoded = decodeObject(type, body, opts.fieldValidation ?? 'Warn');
    opts.warnings?.push(...decoded.warnings);
    const applied = decoded.object;
    const am = meta(applied);
    if (am.name !== undefined && am.name !== name) {
      throw errors.badRequest(
        `the name of the object (${am.name}) does not match the name on the URL (${name})`,
      );
    }
    if (type.namespaced && am.namespace && am.namespace !== namespace) {
      throw errors.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const existing = this.tryGet(type, namespace, name);
    const cursor = this.cursor(type);
    const base = {
      applied,
      manager: opts.fieldManager,
      apiVersion: apiVersionOf(type),
      subresource,
      hasStatusSubresource: type.statusSubresource,
      force: !!opts.force,
      cursor,
      time: this.timestamp(),
    };
    try {
      if (!existing) {
        if (subresource) throw this.notFound(type, name);
        const res = serverSideApply({ ...base, live: undefined, entries: [] });
        const obj = res.object as KubeObject;
        obj.apiVersion = apiVersionOf(type);
        obj.kind = type.kind;
        const m = { ...meta(obj), name };
        obj.metadata = m;
        const created = this.createDecoded(
          type,
          namespace,
          obj,
          decoded.schemaErrors,
          opts,
          res.entries,
        );
        return { object: created, created: true };
      }
      if (
        am.resourceVersion &&
        am.resourceVersion !== meta(existing).resourceVersion
      ) {
        throw errors.conflict(type.plural, type.group, name);
      }
      const res = serverSideApply({
        ...base,
        live: existing,
        entries: decodeManagedFields(meta(existing).managedFields),
      });
      const next = this.mergeForUpdate(
        type,
        existing,
        res.object as KubeObject,
        subresource,
      );
      const object = this.commitUpdate(
        type,
        existing,
        next,
        decoded.schemaErrors,
        opts,
        subresource,
        res.entries,
      );
      return { object, created: false };
    } catch (e) {
      if (e instanceof ApplyConflictError) {
        throw new ApiError(409, 'Conflict', e.message, {
          causes: e.conflicts.map(c => ({
            reason: 'FieldManagerConflict',
            message: `conflict with ${describeManager(c.manager)}`,
            field: formatPath(c.path),
          })),
        });
      }
      throw e;
    }
  }

  /**
   * DELETE: immediate removal, or (with finalizers, foreground/orphan
   * propagation, namespaces) a deletionTimestamp and removal by controllers.
   */
  delete(
    type: ResourceType,
    namespace: string,
    name: string,
    options: DeleteOptions,
    opts: { dryRun?: boolean },
  ): { object: KubeObject; pending: boolean } {
    const existing = this.tryGet(type, namespace, name);
    if (!existing) throw this.notFound(type, name);
    const em = meta(existing);
    const pre = options.preconditions ?? {};
    if (pre.uid && pre.uid !== em.uid) {
      throw errors.conflict(
        type.plural,
        type.group,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${em.uid}`,
      );
    }
    if (pre.resourceVersion && pre.resourceVersion !== em.resourceVersion) {
      throw errors.conflict(
        type.plural,
        type.group,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${em.resourceVersion}`,
      );
    }
    if (opts.dryRun) return { object: existing, pending: false };
    const finalizers = [...(em.finalizers ?? [])];
    const policy = options.propagationPolicy;
    if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion'))
      finalizers.push('foregroundDeletion');
    if (policy === 'Orphan' && !finalizers.includes('orphan'))
      finalizers.push('orphan');
    const isNamespace = type.storageKey === '/namespaces';
    if (finalizers.length > 0 || isNamespace) {
      const next = clone(existing) as KubeObject;
      const m = meta(next);
      if (!m.deletionTimestamp) {
        m.deletionTimestamp = this.timestamp();
        m.deletionGracePeriodSeconds = 0;
      }
      if (finalizers.length > 0) m.finalizers = finalizers;
      if (isNamespace)
        next.status = {
          ...(isObject(next.status) ? next.status : {}),
          phase: 'Terminating',
        };
      if (deepEqual(next, existing)) return { object: existing, pending: true };
      return {
        object: this.convert(type, this.store.put(type.storageKey, next)),
        pending: true,
      };
    }
    const gone = this.store.remove(
      type.storageKey,
      type.namespaced ? namespace : '',
      name,
    )!;
    return { object: this.convert(type, gone), pending: false };
  }

  /** Removes a terminating namespace once its contents are gone (the namespace controller's finalize). */
  finalizeNamespace(name: string): void {
    this.store.remove('/namespaces', '', name);
  }

  /** GET .../scale */
  getScale(type: ResourceType, namespace: string, name: string): JsonObject {
    return toScale(type, this.get(type, namespace, name));
  }

  /** PUT or PATCH .../scale: the Scale's spec.replicas is written to the object. */
  updateScale(
    type: ResourceType,
    namespace: string,
    name: string,
    change: { body?: unknown; patchType?: PatchType; rawPatch?: string },
    opts: WriteOptions,
  ): JsonObject {
    const existing = this.get(type, namespace, name);
    const current = toScale(type, existing);
    let scale: unknown = change.body;
    if (change.patchType) {
      let p: unknown;
      try {
        p =
          change.patchType === 'apply'
            ? parseYaml(change.rawPatch ?? '')
            : JSON.parse(change.rawPatch ?? '');
      } catch (e) {
        throw errors.badRequest(
          `error decoding patch: ${(e as Error).message}`,
        );
      }
      try {
        if (change.patchType === 'json') scale = applyJsonPatch(current, p);
        else scale = applyMergePatch(current, p);
      } catch (e) {
        throw errors.badRequest((e as Error).message);
      }
    }
    if (!isObject(scale))
      throw errors.badRequest('the body must be a Scale object');
    const sm = isObject(scale.metadata) ? (scale.metadata as JsonObject) : {};
    if (
      sm.resourceVersion &&
      sm.resourceVersion !== meta(existing).resourceVersion
    ) {
      throw errors.conflict(type.plural, type.group, name);
    }
    const replicas = isObject(scale.spec)
      ? (scale.spec as JsonObject).replicas
      : undefined;
    if (
      typeof replicas !== 'number' ||
      !Number.isInteger(replicas) ||
      replicas < 0
    ) {
      throw invalidError('Scale', 'autoscaling', name, [
        {
          type: 'Invalid',
          field: 'spec.replicas',
          value: replicas ?? null,
          detail: 'must be greater than or equal to 0',
        },
      ]);
    }
    const next = withReplicas(type, existing, replicas);
    const stored = this.commitUpdate(
      type,
      existing,
      next,
      [],
      opts,
      'scale',
      undefined,
    );
    return toScale(type, stored);
  }

  /** Internal write used by controllers: replace with the given object, no precondition. */
  writeStatus(
    type: ResourceType,
    obj: KubeObject,
    manager: string,
  ): KubeObject {
    const m = meta(obj);
    return this.update(
      type,
      m.namespace ?? '',
      m.name!,
      { ...obj, metadata: { ...m, resourceVersion: undefined } },
      { fieldManager: manager, fieldValidation: 'Ignore' },
      'status',
    );
  }
}
