import { SchemaBuilder, s } from '../builder';
import { CORE, defineKind } from './core';
import { LABEL_SELECTOR } from './meta';

export const APPS = 'io.k8s.api.apps.v1';
const gv = { group: 'apps', version: 'v1' };

function condition(
  name: string,
  what: string,
): Record<string, ReturnType<typeof s.str>> {
  return {
    lastTransitionTime: s.time(
      'Last time the condition transitioned from one status to another.',
    ),
    lastUpdateTime: s.time(`The last time this condition was updated.`),
    message: s.str(
      'A human readable message indicating details about the transition.',
    ),
    reason: s.str("The reason for the condition's last transition."),
    status: s.str('Status of the condition, one of True, False, Unknown.'),
    type: s.str(`Type of ${what} condition.`),
    ...(name ? {} : {}),
  };
}

export function defineApps(b: SchemaBuilder): void {
  const template = s.ref(
    `${CORE}.PodTemplateSpec`,
    'Template describes the pods that will be created.',
    { default: {} },
  );
  const selector = (what: string) =>
    s.ref(
      LABEL_SELECTOR,
      `Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this ${what}. It must match the pod template's labels.`,
    );

  b.define(
    `${APPS}.RollingUpdateDeployment`,
    s.obj(
      {
        maxSurge: s.intOrString(
          'The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%.',
        ),
        maxUnavailable: s.intOrString(
          'The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%.',
        ),
      },
      'Spec to control the desired behavior of rolling update.',
    ),
  );
  b.define(
    `${APPS}.DeploymentStrategy`,
    s.obj(
      {
        rollingUpdate: s.ref(
          `${APPS}.RollingUpdateDeployment`,
          'Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.',
        ),
        type: s.enumStr(
          ['Recreate', 'RollingUpdate'],
          'Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.',
        ),
      },
      'DeploymentStrategy describes how to replace existing pods with new ones.',
    ),
  );
  b.define(
    `${APPS}.DeploymentSpec`,
    s.obj(
      {
        minReadySeconds: s.int(
          'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0.',
        ),
        paused: s.bool('Indicates that the deployment is paused.'),
        progressDeadlineSeconds: s.int(
          'The maximum time in seconds for a deployment to make progress before it is considered to be failed. Defaults to 600s.',
        ),
        replicas: s.int(
          'Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.',
        ),
        revisionHistoryLimit: s.int(
          'The number of old ReplicaSets to retain to allow rollback. Defaults to 10.',
        ),
        selector: selector('deployment'),
        strategy: s.ref(
          `${APPS}.DeploymentStrategy`,
          'The deployment strategy to use to replace existing pods with new ones.',
          { default: {}, 'x-kubernetes-patch-strategy': 'retainKeys' },
        ),
        template,
      },
      'DeploymentSpec is the specification of the desired behavior of the Deployment.',
      { required: ['selector', 'template'] },
    ),
  );
  b.define(
    `${APPS}.DeploymentStatus`,
    s.obj(
      {
        availableReplicas: s.int(
          'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
        ),
        collisionCount: s.int('Count of hash collisions for the Deployment.'),
        conditions: s.listMap(
          s.obj(
            condition('', 'deployment'),
            'DeploymentCondition describes the state of a deployment at a certain point.',
          ),
          ['type'],
          "Represents the latest available observations of a deployment's current state.",
        ),
        observedGeneration: s.int64(
          'The generation observed by the deployment controller.',
        ),
        readyReplicas: s.int(
          'Total number of ready pods targeted by this Deployment.',
        ),
        replicas: s.int(
          'Total number of non-terminating pods targeted by this deployment (their labels match the selector).',
        ),
        terminatingReplicas: s.int(
          'Total number of terminating pods targeted by this deployment.',
        ),
        unavailableReplicas: s.int(
          'Total number of unavailable pods targeted by this deployment.',
        ),
        updatedReplicas: s.int(
          'Total number of non-terminating pods targeted by this deployment that have the desired template spec.',
        ),
      },
      'DeploymentStatus is the most recently observed status of the Deployment.',
    ),
  );
  defineKind(
    b,
    APPS,
    { ...gv, kind: 'Deployment' },
    'Deployment enables declarative updates for Pods and ReplicaSets.',
    {
      spec: s.ref(
        `${APPS}.DeploymentSpec`,
        'Specification of the desired behavior of the Deployment.',
        { default: {} },
      ),
      status: s.ref(
        `${APPS}.DeploymentStatus`,
        'Most recently observed status of the Deployment.',
        { default: {} },
      ),
    },
  );

  defineKind(
    b,
    APPS,
    { ...gv, kind: 'ReplicaSet' },
    'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
    {
      spec: s.obj(
        {
          minReadySeconds: s.int(
            'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available.',
          ),
          replicas: s.int(
            'Replicas is the number of desired pods. Defaults to 1.',
          ),
          selector: selector('replica set'),
          template: s.ref(
            `${CORE}.PodTemplateSpec`,
            'Template is the object that describes the pod that will be created if insufficient replicas are detected.',
            { default: {} },
          ),
        },
        'Spec defines the specification of the desired behavior of the ReplicaSet.',
        { required: ['selector'] },
      ),
      status: s.obj(
        {
          availableReplicas: s.int(
            'The number of available non-terminating pods (ready for at least minReadySeconds) for this replica set.',
          ),
          conditions: s.listMap(
            s.open(),
            ['type'],
            "Represents the latest available observations of a replica set's current state.",
          ),
          fullyLabeledReplicas: s.int(
            'The number of non-terminating pods that have labels matching the labels of the pod template of the replicaset.',
          ),
          observedGeneration: s.int64(
            'ObservedGeneration reflects the generation of the most recently observed ReplicaSet.',
          ),
          readyReplicas: s.int(
            'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.',
          ),
          replicas: s.int(
            'Replicas is the most recently observed number of non-terminating pods.',
          ),
          terminatingReplicas: s.int(
            'The number of terminating pods for this replica set.',
          ),
        },
        'Status is the most recently observed status of the ReplicaSet.',
        { required: ['replicas'] },
      ),
    },
  );

  defineKind(
    b,
    APPS,
    { ...gv, kind: 'StatefulSet' },
    'StatefulSet represents a set of pods with consistent identities.',
    {
      spec: s.obj(
        {
          minReadySeconds: s.int(
            'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing for it to be considered available.',
          ),
          ordinals: s.open(
            'ordinals controls the numbering of replica indices in a StatefulSet.',
          ),
          persistentVolumeClaimRetentionPolicy: s.open(
            'persistentVolumeClaimRetentionPolicy describes the lifecycle of persistent volume claims created from volumeClaimTemplates.',
          ),
          podManagementPolicy: s.enumStr(
            ['OrderedReady', 'Parallel'],
            'podManagementPolicy controls how pods are created during initial scale up, when replacing pods on nodes, or when scaling down.',
          ),
          replicas: s.int(
            'replicas is the desired number of replicas of the given Template. Defaults to 1.',
          ),
          revisionHistoryLimit: s.int(
            "revisionHistoryLimit is the maximum number of revisions that will be maintained in the StatefulSet's revision history.",
          ),
          selector: selector('stateful set'),
          serviceName: s.str(
            'serviceName is the name of the service that governs this StatefulSet.',
          ),
          template: s.ref(
            `${CORE}.PodTemplateSpec`,
            'template is the object that describes the pod that will be created if insufficient replicas are detected.',
            { default: {} },
          ),
          updateStrategy: s.open(
            'updateStrategy indicates the StatefulSetUpdateStrategy that will be employed to update Pods in the StatefulSet when a revision is made to Template.',
          ),
          volumeClaimTemplates: s.arr(
            s.open(),
            'volumeClaimTemplates is a list of claims that pods are allowed to reference.',
          ),
        },
        'Spec defines the desired identities of pods in this set.',
        { required: ['selector', 'template'] },
      ),
      status: s.obj(
        {
          availableReplicas: s.int(
            'Total number of available pods (ready for at least minReadySeconds) targeted by this statefulset.',
          ),
          collisionCount: s.int(
            'collisionCount is the count of hash collisions for the StatefulSet.',
          ),
          conditions: s.listMap(
            s.open(),
            ['type'],
            "Represents the latest available observations of a statefulset's current state.",
          ),
          currentReplicas: s.int(
            'currentReplicas is the number of Pods created by the StatefulSet controller from the StatefulSet version indicated by currentRevision.',
          ),
          currentRevision: s.str(
            'currentRevision, if not empty, indicates the version of the StatefulSet used to generate Pods in the sequence [0,currentReplicas).',
          ),
          observedGeneration: s.int64(
            'observedGeneration is the most recent generation observed for this StatefulSet.',
          ),
          readyReplicas: s.int(
            'readyReplicas is the number of pods created for this StatefulSet with a Ready Condition.',
          ),
          replicas: s.int(
            'replicas is the number of Pods created by the StatefulSet controller.',
          ),
          updateRevision: s.str(
            'updateRevision, if not empty, indicates the version of the StatefulSet used to generate Pods in the sequence [replicas-updatedReplicas,replicas)',
          ),
          updatedReplicas: s.int(
            'updatedReplicas is the number of Pods created by the StatefulSet controller from the StatefulSet version indicated by updateRevision.',
          ),
        },
        'Status is the current status of Pods in this StatefulSet.',
        { required: ['replicas'] },
      ),
    },
  );

  defineKind(
    b,
    APPS,
    { ...gv, kind: 'DaemonSet' },
    'DaemonSet represents the configuration of a daemon set.',
    {
      spec: s.obj(
        {
          minReadySeconds: s.int(
            'The minimum number of seconds for which a newly created DaemonSet pod should be ready without any of its container crashing, for it to be considered available.',
          ),
          revisionHistoryLimit: s.int(
            'The number of old history to retain to allow rollback.',
          ),
          selector: selector('daemon set'),
          template: s.ref(
            `${CORE}.PodTemplateSpec`,
            'An object that describes the pod that will be created.',
            { default: {} },
          ),
          updateStrategy: s.open(
            'An update strategy to replace existing DaemonSet pods with new pods.',
          ),
        },
        'The desired behavior of this daemon set.',
        { required: ['selector', 'template'] },
      ),
      status: s.obj(
        {
          collisionCount: s.int('Count of hash collisions for the DaemonSet.'),
          conditions: s.listMap(
            s.open(),
            ['type'],
            "Represents the latest available observations of a DaemonSet's current state.",
          ),
          currentNumberScheduled: s.int(
            'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
          ),
          desiredNumberScheduled: s.int(
            'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).',
          ),
          numberAvailable: s.int(
            'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.',
          ),
          numberMisscheduled: s.int(
            'The number of nodes that are running the daemon pod, but are not supposed to run the daemon pod.',
          ),
          numberReady: s.int(
            'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
          ),
          numberUnavailable: s.int(
            'The number of nodes that should be running the daemon pod and have none of the daemon pod running and available.',
          ),
          observedGeneration: s.int64(
            'The most recent generation observed by the daemon set controller.',
          ),
          updatedNumberScheduled: s.int(
            'The total number of nodes that are running updated daemon pod',
          ),
        },
        'The current status of this daemon set.',
        {
          required: [
            'currentNumberScheduled',
            'numberMisscheduled',
            'desiredNumberScheduled',
            'numberReady',
          ],
        },
      ),
    },
  );
}
