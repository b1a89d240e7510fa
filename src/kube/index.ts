// The controller runtime: informers, work queue, reconcile loop, leader
// election, events and patch helpers over @kubernetes/client-node 1.x.
export { type BackoffOptions, backoffDelay } from "./backoff.js";
export { reuseConnections } from "./connection-reuse.js";
export { contextNamespace } from "./context-namespace.js";
export {
  type ControllerMetrics,
  type ControllerOptions,
  outcomeOf,
  type Reconcile,
  type ReconcileOutcome,
  type ReconcileResult,
  type RunningController,
  requeue,
  runController,
} from "./controller.js";
export {
  apiStatusOf,
  isAlreadyExists,
  isConflict,
  isGone,
  isNotFound,
  isTerminal,
  reasonOf,
  statusCodeOf,
} from "./errors.js";
export {
  createEventRecorder,
  type EventRecorder,
  type EventRecorderOptions,
  type EventSubject,
  type EventType,
  eventName,
} from "./events.js";
export {
  type ChangeHandler,
  type ChangeKind,
  createInformer,
  type Informer,
  type InformerOptions,
  type InformerStats,
  type ListPage,
} from "./informer.js";
export { keyOf, type ObjectKey, splitKey } from "./keys.js";
export { type LeaderElection, type LeaderElectionOptions, startLeaderElection } from "./leader.js";
export { createIgnoringExists, mergePatch, mergePatchStatus, type ResourceRef } from "./patch.js";
export { WorkQueue, type WorkQueueOptions } from "./workqueue.js";
