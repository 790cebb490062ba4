import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  Watch,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import { ActionError } from '@mlflow-actions/action-kit/errors';
import { silentLogger, type Logger } from '@mlflow-actions/action-kit/log';
import { describeKubeError, statusOf, KubeApiError, type RequestWhat } from './kube-errors.js';
import type { Rollout } from './rollout-status.js';

const GROUP = 'argoproj.io';
const VERSION = 'v1alpha1';
const PLURAL = 'rollouts';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: unknown;
}

/** The few calls a promotion makes on one Rollout, with errors turned into one-line messages. */
export class RolloutApi {
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly watcher: Watch;
  readonly server: string;

  constructor(
    private readonly kc: KubeConfig,
    readonly name: string,
    readonly namespace: string,
    private readonly log: Logger = silentLogger,
  ) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.watcher = new Watch(kc);
    this.server = kc.getCurrentCluster()?.server ?? '(no server)';
  }

  private what(verb: RequestWhat['verb'], resource = PLURAL): RequestWhat {
    return { verb, resource, apiGroup: GROUP, name: this.name, namespace: this.namespace };
  }

  async get(): Promise<Rollout> {
    try {
      return (await this.custom.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: this.namespace,
        plural: PLURAL,
        name: this.name,
      })) as Rollout;
    } catch (e) {
      if (statusOf(e).code === 404) throw await this.notFound(e);
      throw describeKubeError(e, this.what('get'), this.server);
    }
  }

  /** A 404 means no such Rollout, no such namespace, or no Rollout resource type at all: say which. */
  private async notFound(e: unknown): Promise<Error> {
    const { body } = statusOf(e);
    if (body.details?.name !== this.name) {
      return new ActionError(
        `the cluster at ${this.server} has no Rollout resource (${GROUP}/${VERSION}): is Argo Rollouts installed?`,
      );
    }
    try {
      await this.core.readNamespace({ name: this.namespace });
    } catch (nsError) {
      if (statusOf(nsError).code === 404) {
        return new ActionError(
          `namespace '${this.namespace}' does not exist on ${this.server}: check input 'namespace'`,
        );
      }
      // May not read namespaces: the Rollout's 404 is all we know.
    }
    return new ActionError(
      `no Rollout '${this.name}' in namespace '${this.namespace}' on ${this.server}: check inputs 'rollout' and 'namespace'`,
    );
  }

  /**
   * The revision of the ReplicaSet the controller made for a pod hash (named <rollout>-<hash>), for reports.
   * undefined when it is gone or this account may not read ReplicaSets: a report is no reason to fail.
   */
  async replicaSetRevision(podHash: string | undefined): Promise<string | undefined> {
    if (!podHash) return undefined;
    try {
      const rs = await this.apps.readNamespacedReplicaSet({
        name: `${this.name}-${podHash}`,
        namespace: this.namespace,
      });
      return rs.metadata?.annotations?.['rollout.argoproj.io/revision'];
    } catch (e) {
      this.log.debug(
        `reading ReplicaSet ${this.name}-${podHash}: ${
          describeKubeError(e, { verb: 'get', resource: 'replicasets', apiGroup: 'apps' }, this.server).message
        }`,
      );
      return undefined;
    }
  }

  /**
   * A merge patch, as the kubectl plugin sends it; `status` patches go to the status subresource. Returns
   * undefined when the status subresource answered 404 (the plugin then patches the main object instead).
   */
  async patch(patch: object, subresource: 'status' | undefined): Promise<Rollout | undefined> {
    const args = {
      group: GROUP,
      version: VERSION,
      namespace: this.namespace,
      plural: PLURAL,
      name: this.name,
      body: patch,
    };
    const options = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    this.log.debug(`PATCH rollouts/${this.name}${subresource ? '/status' : ''} ${JSON.stringify(patch)}`);
    try {
      return (await (subresource === 'status'
        ? this.custom.patchNamespacedCustomObjectStatus(args, options)
        : this.custom.patchNamespacedCustomObject(args, options))) as Rollout;
    } catch (e) {
      if (subresource === 'status' && statusOf(e).code === 404) return undefined;
      if (statusOf(e).code === 404) throw await this.notFound(e);
      throw describeKubeError(e, this.what('patch', subresource ? `${PLURAL}/status` : PLURAL), this.server);
    }
  }

  /**
   * Watches this one Rollout from `resourceVersion`; the server ends the watch after `timeoutSeconds` (the
   * caller re-reads and watches again: that is the resync). Resolves when the watch ends, with the error if
   * it broke.
   */
  async watch(
    resourceVersion: string | undefined,
    timeoutSeconds: number,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<unknown> {
    let done!: (err: unknown) => void;
    const ended = new Promise<unknown>((resolve) => (done = resolve));
    const path = `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(this.namespace)}/${PLURAL}`;
    const controller = await this.watcher.watch(
      path,
      {
        fieldSelector: `metadata.name=${this.name}`,
        resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds,
      },
      (type, object) => onEvent({ type: type as WatchEvent['type'], object }),
      (err) => done(err ?? null),
    );
    const abort = () => controller.abort();
    signal.addEventListener('abort', abort, { once: true });
    try {
      const err = await ended;
      if (err && statusOf(err).code !== undefined) {
        return describeKubeError(err, this.what('watch'), this.server);
      }
      return err;
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }
}

export function isKubeApiError(e: unknown): e is KubeApiError {
  return e instanceof KubeApiError;
}
