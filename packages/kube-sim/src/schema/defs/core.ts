import { SchemaBuilder, s } from '../builder';
import {
  CONDITION,
  LABEL_SELECTOR,
  LIST_META,
  META,
  OBJECT_META,
  typeMeta,
} from './meta';

export const CORE = 'io.k8s.api.core.v1';

/** Registers a top-level kind with its List kind; returns the kind's schema name. */
export function defineKind(
  b: SchemaBuilder,
  prefix: string,
  gvk: { group: string; version: string; kind: string },
  description: string,
  props: Record<string, ReturnType<typeof s.obj>>,
): string {
  const name = `${prefix}.${gvk.kind}`;
  b.define(name, {
    ...s.obj(
      {
        ...typeMeta(gvk.kind),
        metadata: s.ref(
          OBJECT_META,
          "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
          { default: {} },
        ),
        ...props,
      },
      description,
    ),
    'x-kubernetes-group-version-kind': [gvk],
  });
  b.define(`${name}List`, {
    ...s.obj(
      {
        ...typeMeta(`${gvk.kind}List`),
        items: s.arr(
          s.ref(name, undefined, { default: {} }),
          `List of ${gvk.kind} objects.`,
        ),
        metadata: s.ref(LIST_META, 'Standard list metadata.', { default: {} }),
      },
      `${gvk.kind}List is a list of ${gvk.kind} objects.`,
      { required: ['items'] },
    ),
    'x-kubernetes-group-version-kind': [{ ...gvk, kind: `${gvk.kind}List` }],
  });
  return name;
}

function defineContainer(b: SchemaBuilder): void {
  b.define(
    `${CORE}.ContainerPort`,
    s.obj(
      {
        containerPort: s.int(
          "Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536.",
        ),
        hostIP: s.str('What host IP to bind the external port to.'),
        hostPort: s.int('Number of port to expose on the host.'),
        name: s.str(
          'If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name.',
        ),
        protocol: s.enumStr(
          ['SCTP', 'TCP', 'UDP'],
          'Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".',
        ),
      },
      'ContainerPort represents a network port in a single container.',
      { required: ['containerPort'] },
    ),
  );
  b.define(
    `${CORE}.EnvVar`,
    s.obj(
      {
        name: s.str(
          'Name of the environment variable. Must be a C_IDENTIFIER.',
        ),
        value: s.str(
          'Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables.',
        ),
        valueFrom: s.open(
          "Source for the environment variable's value. Cannot be used if value is not empty.",
        ),
      },
      'EnvVar represents an environment variable present in a Container.',
      { required: ['name'] },
    ),
  );
  b.define(
    `${CORE}.VolumeMount`,
    s.obj(
      {
        mountPath: s.str(
          "Path within the container at which the volume should be mounted. Must not contain ':'.",
        ),
        mountPropagation: s.str(
          'mountPropagation determines how mounts are propagated from the host to container and the other way around.',
        ),
        name: s.str('This must match the Name of a Volume.'),
        readOnly: s.bool(
          'Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.',
        ),
        recursiveReadOnly: s.str(
          'RecursiveReadOnly specifies whether read-only mounts should be handled recursively.',
        ),
        subPath: s.str(
          'Path within the volume from which the container\'s volume should be mounted. Defaults to "" (volume\'s root).',
        ),
        subPathExpr: s.str(
          "Expanded path within the volume from which the container's volume should be mounted.",
        ),
      },
      'VolumeMount describes a mounting of a Volume within a container.',
      { required: ['name', 'mountPath'] },
    ),
  );
  b.define(
    `${CORE}.ResourceRequirements`,
    s.obj(
      {
        claims: s.listMap(
          s.open(),
          ['name'],
          'Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.',
        ),
        limits: s.map(
          s.quantity(),
          'Limits describes the maximum amount of compute resources allowed.',
        ),
        requests: s.map(
          s.quantity(),
          'Requests describes the minimum amount of compute resources required.',
        ),
      },
      'ResourceRequirements describes the compute resource requirements.',
    ),
  );
  b.define(
    `${CORE}.Probe`,
    s.obj(
      {
        exec: s.open('Exec specifies a command to execute in the container.'),
        failureThreshold: s.int(
          'Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.',
        ),
        grpc: s.open('GRPC specifies a GRPC HealthCheckRequest.'),
        httpGet: s.open('HTTPGet specifies an HTTP GET request to perform.'),
        initialDelaySeconds: s.int(
          'Number of seconds after the container has started before liveness probes are initiated.',
        ),
        periodSeconds: s.int(
          'How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.',
        ),
        successThreshold: s.int(
          'Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1.',
        ),
        tcpSocket: s.open('TCPSocket specifies a connection to a TCP port.'),
        terminationGracePeriodSeconds: s.int64(
          'Optional duration in seconds the pod needs to terminate gracefully upon probe failure.',
        ),
        timeoutSeconds: s.int(
          'Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1.',
        ),
      },
      'Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.',
    ),
  );
  const containerProps = {
    args: s.arr(
      s.str(),
      "Arguments to the entrypoint. The container image's CMD is used if this is not provided.",
    ),
    command: s.arr(
      s.str(),
      "Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided.",
    ),
    env: s.listMap(
      s.ref(`${CORE}.EnvVar`, undefined, { default: {} }),
      ['name'],
      'List of environment variables to set in the container. Cannot be updated.',
    ),
    envFrom: s.arr(
      s.open(),
      'List of sources to populate environment variables in the container.',
    ),
    image: s.str(
      'Container image name. More info: https://kubernetes.io/docs/concepts/containers/images',
    ),
    imagePullPolicy: s.enumStr(
      ['Always', 'IfNotPresent', 'Never'],
      'Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise.',
    ),
    lifecycle: s.open(
      'Actions that the management system should take in response to container lifecycle events.',
    ),
    livenessProbe: s.ref(
      `${CORE}.Probe`,
      'Periodic probe of container liveness. Container will be restarted if the probe fails.',
    ),
    name: s.str(
      'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.',
    ),
    ports: s.listMap(
      s.ref(`${CORE}.ContainerPort`, undefined, { default: {} }),
      ['containerPort', 'protocol'],
      'List of ports to expose from the container.',
    ),
    readinessProbe: s.ref(
      `${CORE}.Probe`,
      'Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails.',
    ),
    resizePolicy: s.arr(s.open(), 'Resources resize policy for the container.'),
    resources: s.ref(
      `${CORE}.ResourceRequirements`,
      'Compute Resources required by this container. Cannot be updated.',
      { default: {} },
    ),
    restartPolicy: s.str(
      'RestartPolicy defines the restart behavior of individual containers in a pod. This field may only be set for init containers, and the only allowed value is "Always".',
    ),
    securityContext: s.open(
      'SecurityContext defines the security options the container should be run with.',
    ),
    startupProbe: s.ref(
      `${CORE}.Probe`,
      'StartupProbe indicates that the Pod has successfully initialized.',
    ),
    stdin: s.bool(
      'Whether this container should allocate a buffer for stdin in the container runtime.',
    ),
    stdinOnce: s.bool(
      'Whether the container runtime should close the stdin channel after it has been opened by a single attach.',
    ),
    terminationMessagePath: s.str(
      "Optional: Path at which the file to which the container's termination message will be written is mounted into the container's filesystem. Defaults to /dev/termination-log.",
    ),
    terminationMessagePolicy: s.enumStr(
      ['FallbackToLogsOnError', 'File'],
      'Indicate how the termination message should be populated.',
    ),
    tty: s.bool(
      "Whether this container should allocate a TTY for itself, also requires 'stdin' to be true.",
    ),
    volumeDevices: s.listMap(
      s.open(),
      ['devicePath'],
      'volumeDevices is the list of block devices to be used by the container.',
    ),
    volumeMounts: s.listMap(
      s.ref(`${CORE}.VolumeMount`, undefined, { default: {} }),
      ['mountPath'],
      "Pod volumes to mount into the container's filesystem. Cannot be updated.",
    ),
    workingDir: s.str(
      "Container's working directory. If not specified, the container runtime's default will be used.",
    ),
  };
  b.define(
    `${CORE}.Container`,
    s.obj(
      containerProps,
      'A single application container that you want to run within a pod.',
      { required: ['name'] },
    ),
  );
  b.define(
    `${CORE}.EphemeralContainer`,
    s.obj(
      {
        ...containerProps,
        targetContainerName: s.str(
          'If set, the name of the container from PodSpec that this ephemeral container targets.',
        ),
      },
      'An EphemeralContainer is a temporary container that you may add to an existing Pod for user-initiated activities such as debugging.',
      { required: ['name'] },
    ),
  );
}

function definePod(b: SchemaBuilder): void {
  defineContainer(b);
  b.define(
    `${CORE}.Volume`,
    s.obj(
      {
        name: s.str(
          'name of the volume. Must be a DNS_LABEL and unique within the pod.',
        ),
        configMap: s.open(
          'configMap represents a configMap that should populate this volume',
        ),
        secret: s.open(
          'secret represents a secret that should populate this volume.',
        ),
        emptyDir: s.open(
          "emptyDir represents a temporary directory that shares a pod's lifetime.",
        ),
        persistentVolumeClaim: s.open(
          'persistentVolumeClaimVolumeSource represents a reference to a PersistentVolumeClaim in the same namespace.',
        ),
        hostPath: s.open(
          'hostPath represents a pre-existing file or directory on the host machine that is directly exposed to the container.',
        ),
        projected: s.open(
          'projected items for all in one resources secrets, configmaps, and downward API',
        ),
        downwardAPI: s.open(
          'downwardAPI represents downward API about the pod that should populate this volume',
        ),
        csi: s.open(
          'csi (Container Storage Interface) represents ephemeral storage that is handled by certain external CSI drivers.',
        ),
        ephemeral: s.open(
          'ephemeral represents a volume that is handled by a cluster storage driver.',
        ),
      },
      'Volume represents a named volume in a pod that may be accessed by any container in the pod.',
      { required: ['name'], 'x-kubernetes-preserve-unknown-fields': true },
    ),
  );
  b.define(
    `${CORE}.PodSpec`,
    s.obj(
      {
        activeDeadlineSeconds: s.int64(
          'Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers.',
        ),
        affinity: s.open("If specified, the pod's scheduling constraints"),
        automountServiceAccountToken: s.bool(
          'AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.',
        ),
        containers: s.listMap(
          s.ref(`${CORE}.Container`, undefined, { default: {} }),
          ['name'],
          'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.',
        ),
        dnsConfig: s.open('Specifies the DNS parameters of a pod.'),
        dnsPolicy: s.enumStr(
          ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
          'Set DNS policy for the pod. Defaults to "ClusterFirst".',
        ),
        enableServiceLinks: s.bool(
          "EnableServiceLinks indicates whether information about services should be injected into pod's environment variables. Optional: Defaults to true.",
        ),
        ephemeralContainers: s.listMap(
          s.ref(`${CORE}.EphemeralContainer`, undefined, { default: {} }),
          ['name'],
          'List of ephemeral containers run in this pod.',
        ),
        hostAliases: s.listMap(
          s.open(),
          ['ip'],
          "HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts file if specified.",
        ),
        hostIPC: s.bool(
          "Use the host's ipc namespace. Optional: Default to false.",
        ),
        hostNetwork: s.bool(
          'Host networking requested for this pod. Default to false.',
        ),
        hostPID: s.bool(
          "Use the host's pid namespace. Optional: Default to false.",
        ),
        hostUsers: s.bool(
          "Use the host's user namespace. Optional: Default to true.",
        ),
        hostname: s.str(
          "Specifies the hostname of the Pod If not specified, the pod's hostname will be set to a system-defined value.",
        ),
        imagePullSecrets: s.listMap(
          s.open(),
          ['name'],
          'ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.',
        ),
        initContainers: s.listMap(
          s.ref(`${CORE}.Container`, undefined, { default: {} }),
          ['name'],
          'List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started.',
        ),
        nodeName: s.str(
          'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.',
        ),
        nodeSelector: s.strMap(
          "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node.",
        ),
        os: s.open('Specifies the OS of the containers in the pod.'),
        overhead: s.map(
          s.quantity(),
          'Overhead represents the resource overhead associated with running a pod for a given RuntimeClass.',
        ),
        preemptionPolicy: s.str(
          'PreemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.',
        ),
        priority: s.int(
          'The priority value. Various system components use this field to find the priority of the pod.',
        ),
        priorityClassName: s.str("If specified, indicates the pod's priority."),
        readinessGates: s.arr(
          s.open(),
          'If specified, all readiness gates will be evaluated for pod readiness.',
        ),
        resourceClaims: s.listMap(
          s.open(),
          ['name'],
          'ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start.',
        ),
        resources: s.ref(
          `${CORE}.ResourceRequirements`,
          'Resources is the total amount of CPU and Memory resources required by all containers in the pod.',
        ),
        restartPolicy: s.enumStr(
          ['Always', 'Never', 'OnFailure'],
          'Restart policy for all containers within the pod. One of Always, OnFailure, Never. Default to Always.',
        ),
        runtimeClassName: s.str(
          'RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group, which should be used to run this pod.',
        ),
        schedulerName: s.str(
          'If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler.',
        ),
        schedulingGates: s.listMap(
          s.open(),
          ['name'],
          'SchedulingGates is an opaque list of values that if specified will block scheduling the pod.',
        ),
        securityContext: s.open(
          'SecurityContext holds pod-level security attributes and common container settings.',
        ),
        serviceAccount: s.str(
          'DeprecatedServiceAccount is a deprecated alias for ServiceAccountName. Deprecated: Use serviceAccountName instead.',
        ),
        serviceAccountName: s.str(
          'ServiceAccountName is the name of the ServiceAccount to use to run this pod.',
        ),
        setHostnameAsFQDN: s.bool(
          "If true the pod's hostname will be configured as the pod's FQDN, rather than the leaf name (the default).",
        ),
        shareProcessNamespace: s.bool(
          'Share a single process namespace between all of the containers in a pod.',
        ),
        subdomain: s.str(
          'If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>".',
        ),
        terminationGracePeriodSeconds: s.int64(
          'Optional duration in seconds the pod needs to terminate gracefully. Defaults to 30 seconds.',
        ),
        tolerations: s.arr(s.open(), "If specified, the pod's tolerations."),
        topologySpreadConstraints: s.listMap(
          s.open(),
          ['topologyKey', 'whenUnsatisfiable'],
          'TopologySpreadConstraints describes how a group of pods ought to spread across topology domains.',
        ),
        volumes: s.listMap(
          s.ref(`${CORE}.Volume`, undefined, { default: {} }),
          ['name'],
          'List of volumes that can be mounted by containers belonging to the pod.',
          { strategy: 'merge,retainKeys' },
        ),
      },
      'PodSpec is a description of a pod.',
      { required: ['containers'] },
    ),
  );
  b.define(
    `${CORE}.PodTemplateSpec`,
    s.obj(
      {
        metadata: s.ref(OBJECT_META, "Standard object's metadata.", {
          default: {},
        }),
        spec: s.ref(
          `${CORE}.PodSpec`,
          'Specification of the desired behavior of the pod.',
          { default: {} },
        ),
      },
      'PodTemplateSpec describes the data a pod should have when created from a template',
    ),
  );
  b.define(
    `${CORE}.PodCondition`,
    s.obj(
      {
        lastProbeTime: s.time('Last time we probed the condition.'),
        lastTransitionTime: s.time(
          'Last time the condition transitioned from one status to another.',
        ),
        message: s.str(
          'Human-readable message indicating details about last transition.',
        ),
        observedGeneration: s.int64(
          'If set, this represents the .metadata.generation that the pod condition was set based upon.',
        ),
        reason: s.str(
          "Unique, one-word, CamelCase reason for the condition's last transition.",
        ),
        status: s.str(
          'Status is the status of the condition. Can be True, False, Unknown.',
        ),
        type: s.str('Type is the type of the condition.'),
      },
      'PodCondition contains details for the current condition of this pod.',
      { required: ['type', 'status'] },
    ),
  );
  b.define(
    `${CORE}.ContainerStatus`,
    s.obj(
      {
        allocatedResources: s.map(
          s.quantity(),
          'AllocatedResources represents the compute resources allocated for this container by the node.',
        ),
        allocatedResourcesStatus: s.arr(s.open()),
        containerID: s.str(
          "ContainerID is the ID of the container in the format '<type>://<container_id>'.",
        ),
        image: s.str(
          'Image is the name of container image that the container is running.',
        ),
        imageID: s.str("ImageID is the image ID of the container's image."),
        lastState: s.open(
          'LastTerminationState holds the last termination state of the container.',
        ),
        name: s.str(
          'Name is a DNS_LABEL representing the unique name of the container.',
        ),
        ready: s.bool(
          'Ready specifies whether the container is currently passing its readiness check.',
        ),
        resources: s.ref(
          `${CORE}.ResourceRequirements`,
          'Resources represents the compute resource requests and limits that have been successfully enacted on the running container.',
        ),
        restartCount: s.int(
          'RestartCount holds the number of times the container has been restarted.',
        ),
        started: s.bool(
          'Started indicates whether the container has finished its postStart lifecycle hook and passed its startup probe.',
        ),
        state: s.open(
          "State holds details about the container's current condition.",
        ),
        stopSignal: s.str(),
        user: s.open(),
        volumeMounts: s.arr(s.open(), 'Status of volume mounts.'),
      },
      'ContainerStatus contains details for the current status of this container.',
      { required: ['name', 'ready', 'restartCount', 'image', 'imageID'] },
    ),
  );
  b.define(
    `${CORE}.PodStatus`,
    s.obj(
      {
        conditions: s.listMap(
          s.ref(`${CORE}.PodCondition`, undefined, { default: {} }),
          ['type'],
          'Current service state of pod.',
        ),
        containerStatuses: s.arr(
          s.ref(`${CORE}.ContainerStatus`, undefined, { default: {} }),
          'Statuses of containers in this pod.',
        ),
        ephemeralContainerStatuses: s.arr(
          s.ref(`${CORE}.ContainerStatus`, undefined, { default: {} }),
          'Statuses for any ephemeral containers that have run in this pod.',
        ),
        hostIP: s.str(
          'hostIP holds the IP address of the host to which the pod is assigned.',
        ),
        hostIPs: s.listMap(
          s.open(),
          ['ip'],
          'hostIPs holds the IP addresses allocated to the host.',
        ),
        initContainerStatuses: s.arr(
          s.ref(`${CORE}.ContainerStatus`, undefined, { default: {} }),
          'Statuses of init containers in this pod.',
        ),
        message: s.str(
          'A human readable message indicating details about why the pod is in this condition.',
        ),
        nominatedNodeName: s.str(
          'nominatedNodeName is set only when this pod preempts other pods on the node.',
        ),
        observedGeneration: s.int64(
          'If set, this represents the .metadata.generation that the pod status was set based upon.',
        ),
        phase: s.enumStr(
          ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'],
          'The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle.',
        ),
        podIP: s.str(
          'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
        ),
        podIPs: s.listMap(
          s.open(),
          ['ip'],
          'podIPs holds the IP addresses allocated to the pod.',
        ),
        qosClass: s.enumStr(
          ['BestEffort', 'Burstable', 'Guaranteed'],
          'The Quality of Service (QOS) classification assigned to the pod based on resource requirements.',
        ),
        reason: s.str(
          'A brief CamelCase message indicating details about why the pod is in this state.',
        ),
        resize: s.str(
          "Status of resources resize desired for pod's containers.",
        ),
        resourceClaimStatuses: s.listMap(
          s.open(),
          ['name'],
          'Status of resource claims.',
        ),
        startTime: s.time(
          'RFC 3339 date and time at which the object was acknowledged by the Kubelet.',
        ),
      },
      'PodStatus represents information about the status of a pod.',
    ),
  );
  defineKind(
    b,
    CORE,
    { group: '', version: 'v1', kind: 'Pod' },
    'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
    {
      spec: s.ref(
        `${CORE}.PodSpec`,
        'Specification of the desired behavior of the pod.',
        { default: {} },
      ),
      status: s.ref(
        `${CORE}.PodStatus`,
        'Most recently observed status of the pod. This data may not be up to date. Populated by the system. Read-only.',
        { default: {} },
      ),
    },
  );
}

function defineService(b: SchemaBuilder): void {
  b.define(
    `${CORE}.ServicePort`,
    s.obj(
      {
        appProtocol: s.str('The application protocol for this port.'),
        name: s.str(
          'The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names.',
        ),
        nodePort: s.int(
          'The port on each node on which this service is exposed when type is NodePort or LoadBalancer.',
        ),
        port: s.int('The port that will be exposed by this service.'),
        protocol: s.enumStr(
          ['SCTP', 'TCP', 'UDP'],
          'The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.',
        ),
        targetPort: s.intOrString(
          'Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.',
        ),
      },
      "ServicePort contains information on service's port.",
      { required: ['port'] },
    ),
  );
  b.define(
    `${CORE}.ServiceSpec`,
    s.obj(
      {
        allocateLoadBalancerNodePorts: s.bool(
          'allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer. Default is "true".',
        ),
        clusterIP: s.str(
          'clusterIP is the IP address of the service and is usually assigned randomly.',
        ),
        clusterIPs: s.arr(
          s.str(),
          'ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly.',
        ),
        externalIPs: s.arr(
          s.str(),
          'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
        ),
        externalName: s.str(
          'externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record).',
        ),
        externalTrafficPolicy: s.enumStr(
          ['Cluster', 'Local'],
          'externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service\'s "externally-facing" addresses.',
        ),
        healthCheckNodePort: s.int(
          'healthCheckNodePort specifies the healthcheck nodePort for the service.',
        ),
        internalTrafficPolicy: s.enumStr(
          ['Cluster', 'Local'],
          'InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP.',
        ),
        ipFamilies: s.arr(
          s.str(),
          'IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service.',
        ),
        ipFamilyPolicy: s.enumStr(
          ['PreferDualStack', 'RequireDualStack', 'SingleStack'],
          'IPFamilyPolicy represents the dual-stack-ness requested or required by this Service.',
        ),
        loadBalancerClass: s.str(
          'loadBalancerClass is the class of the load balancer implementation this Service belongs to.',
        ),
        loadBalancerIP: s.str(
          'Only applies to Service Type: LoadBalancer. Deprecated.',
        ),
        loadBalancerSourceRanges: s.arr(
          s.str(),
          'If specified and supported by the platform, this will restrict traffic through the cloud-provider load-balancer will be restricted to the specified client IPs.',
        ),
        ports: s.listMap(
          s.ref(`${CORE}.ServicePort`, undefined, { default: {} }),
          ['port', 'protocol'],
          'The list of ports that are exposed by this service.',
          { mergeKey: 'port' },
        ),
        publishNotReadyAddresses: s.bool(
          'publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready.',
        ),
        selector: s.atomic(
          s.strMap(
            'Route service traffic to pods with label keys and values matching this selector.',
          ),
        ),
        sessionAffinity: s.enumStr(
          ['ClientIP', 'None'],
          'Supports "ClientIP" and "None". Used to maintain session affinity. Defaults to None.',
        ),
        sessionAffinityConfig: s.open(
          'sessionAffinityConfig contains the configurations of session affinity.',
        ),
        trafficDistribution: s.str(
          'TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints.',
        ),
        type: s.enumStr(
          ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
          'type determines how the Service is exposed. Defaults to ClusterIP.',
        ),
      },
      'ServiceSpec describes the attributes that a user creates on a service.',
    ),
  );
  defineKind(
    b,
    CORE,
    { group: '', version: 'v1', kind: 'Service' },
    'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
    {
      spec: s.ref(
        `${CORE}.ServiceSpec`,
        'Spec defines the behavior of a service.',
        { default: {} },
      ),
      status: s.obj(
        {
          conditions: s.listMap(
            s.ref(CONDITION, undefined, { default: {} }),
            ['type'],
            'Current service state',
          ),
          loadBalancer: s.open(
            'LoadBalancer contains the current status of the load-balancer, if one is present.',
          ),
        },
        'Most recently observed status of the service.',
      ),
    },
  );
}

export function defineCore(b: SchemaBuilder): void {
  definePod(b);
  defineService(b);
  const gv = { group: '', version: 'v1' };
  defineKind(
    b,
    CORE,
    { ...gv, kind: 'Namespace' },
    'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
    {
      spec: s.obj(
        {
          finalizers: s.arr(
            s.str(),
            'Finalizers is an opaque list of values that must be empty to permanently remove object from storage.',
          ),
        },
        'Spec defines the behavior of the Namespace.',
      ),
      status: s.obj(
        {
          conditions: s.listMap(
            s.open(),
            ['type'],
            "Represents the latest available observations of a namespace's current state.",
          ),
          phase: s.enumStr(
            ['Active', 'Terminating'],
            'Phase is the current lifecycle phase of the namespace.',
          ),
        },
        'Status describes the current status of a Namespace.',
      ),
    },
  );
  defineKind(
    b,
    CORE,
    { ...gv, kind: 'ConfigMap' },
    'ConfigMap holds configuration data for pods to consume.',
    {
      binaryData: s.map(s.bytes(), 'BinaryData contains the binary data.'),
      data: s.strMap(
        "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'.",
      ),
      immutable: s.bool(
        'Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified).',
      ),
    },
  );
  defineKind(
    b,
    CORE,
    { ...gv, kind: 'Secret' },
    'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
    {
      data: s.map(
        s.bytes(),
        'Data contains the secret data. The serialized form of the secret data is a base64 encoded string.',
      ),
      immutable: s.bool(
        'Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified).',
      ),
      stringData: s.strMap(
        'stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience.',
      ),
      type: s.str('Used to facilitate programmatic handling of secret data.'),
    },
  );
  defineKind(
    b,
    CORE,
    { ...gv, kind: 'ServiceAccount' },
    'ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets',
    {
      automountServiceAccountToken: s.bool(
        'AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted.',
      ),
      imagePullSecrets: s.arr(
        s.open(),
        'ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount.',
      ),
      secrets: s.listMap(
        s.open(),
        ['name'],
        'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
      ),
    },
  );
  b.define(
    `${CORE}.ObjectReference`,
    s.obj(
      {
        apiVersion: s.str('API version of the referent.'),
        fieldPath: s.str(
          'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.',
        ),
        kind: s.str('Kind of the referent.'),
        name: s.str('Name of the referent.'),
        namespace: s.str('Namespace of the referent.'),
        resourceVersion: s.str(
          'Specific resourceVersion to which this reference is made, if any.',
        ),
        uid: s.str('UID of the referent.'),
      },
      'ObjectReference contains enough information to let you inspect or modify the referred object.',
      { 'x-kubernetes-map-type': 'atomic' },
    ),
  );
  defineKind(
    b,
    CORE,
    { ...gv, kind: 'Event' },
    'Event is a report of an event somewhere in the cluster.',
    {
      action: s.str(
        'What action was taken/failed regarding to the Regarding object.',
      ),
      count: s.int('The number of times this event has occurred.'),
      eventTime: s.str('Time when this Event was first observed.', {
        format: 'date-time',
      }),
      firstTimestamp: s.time(
        'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
      ),
      involvedObject: s.ref(
        `${CORE}.ObjectReference`,
        'The object that this event is about.',
        { default: {} },
      ),
      lastTimestamp: s.time(
        'The time at which the most recent occurrence of this event was recorded.',
      ),
      message: s.str(
        'A human-readable description of the status of this operation.',
      ),
      reason: s.str(
        "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      ),
      related: s.ref(
        `${CORE}.ObjectReference`,
        'Optional secondary object for more complex actions.',
      ),
      reportingComponent: s.str(
        'Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.',
      ),
      reportingInstance: s.str(
        'ID of the controller instance, e.g. `kubelet-xyzf`.',
      ),
      series: s.open(
        "Data about the Event series this event represents or nil if it's a singleton Event.",
      ),
      source: s.obj(
        {
          component: s.str('Component from which the event is generated.'),
          host: s.str('Node name on which the event is generated.'),
        },
        'The component reporting this event. Should be a short machine understandable string.',
      ),
      type: s.str(
        'Type of this event (Normal, Warning), new types could be added in the future',
      ),
    },
  );
  defineKind(
    b,
    CORE,
    { ...gv, kind: 'Endpoints' },
    'Endpoints is a collection of endpoints that implement the actual service.',
    {
      subsets: s.arr(
        s.obj(
          {
            addresses: s.arr(
              s.open(),
              'IP addresses which offer the related ports that are marked as ready.',
            ),
            notReadyAddresses: s.arr(
              s.open(),
              'IP addresses which offer the related ports but are not currently marked as ready.',
            ),
            ports: s.arr(
              s.open(),
              'Port numbers available on the related IP addresses.',
            ),
          },
          'EndpointSubset is a group of addresses with a common set of ports.',
        ),
        'The set of all endpoints is the union of all subsets.',
      ),
    },
  );
  defineKind(
    b,
    CORE,
    { ...gv, kind: 'Node' },
    'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).',
    {
      spec: s.obj(
        {
          configSource: s.open(
            "Deprecated: Previously used to specify the source of the node's configuration.",
          ),
          externalID: s.str(
            'Deprecated. Not all kubelets will set this field.',
          ),
          podCIDR: s.str(
            'PodCIDR represents the pod IP range assigned to the node.',
          ),
          podCIDRs: s.set(
            s.str(),
            'podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node.',
          ),
          providerID: s.str(
            'ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>',
          ),
          taints: s.arr(s.open(), "If specified, the node's taints."),
          unschedulable: s.bool(
            'Unschedulable controls node schedulability of new pods. By default, node is schedulable.',
          ),
        },
        'Spec defines the behavior of a node.',
      ),
      status: s.open(
        'Most recently observed status of the node. Populated by the system. Read-only.',
      ),
    },
  );
  defineKind(
    b,
    CORE,
    { ...gv, kind: 'PersistentVolumeClaim' },
    "PersistentVolumeClaim is a user's request for and claim to a persistent volume",
    {
      spec: s.obj(
        {
          accessModes: s.arr(
            s.str(),
            'accessModes contains the desired access modes the volume should have.',
          ),
          dataSource: s.open(),
          dataSourceRef: s.open(),
          resources: s.open(
            'resources represents the minimum resources the volume should have.',
          ),
          selector: s.ref(
            LABEL_SELECTOR,
            'selector is a label query over volumes to consider for binding.',
          ),
          storageClassName: s.str(
            'storageClassName is the name of the StorageClass required by the claim.',
          ),
          volumeAttributesClassName: s.str(),
          volumeMode: s.str(
            'volumeMode defines what type of volume is required by the claim.',
          ),
          volumeName: s.str(
            'volumeName is the binding reference to the PersistentVolume backing this claim.',
          ),
        },
        'spec defines the desired characteristics of a volume requested by a pod author.',
      ),
      status: s.open(
        'status represents the current information/status of a persistent volume claim. Read-only.',
      ),
    },
  );
}

export { META };
