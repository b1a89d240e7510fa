import { hostname } from "node:os";
import { pino } from "pino";
import { type Command, EXIT_FAILED, EXIT_OK } from "../command.js";
import { KUBECONFIG_HELP, loadKubeConfig } from "../kubeconfig.js";
import { parseFlags, positiveInteger, UsageError } from "../parseFlags.js";
import { packageVersion } from "./version.js";

/** The File collector's image when none is named: $HYPERTUNE_IMAGE (the chart sets it), else this release's. */
export function defaultCollectorImage(): string {
  return process.env.HYPERTUNE_IMAGE ?? `ghcr.io/hypertune/hypertune:${packageVersion()}`;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"];

export const operatorCommand: Command = {
  name: "operator",
  summary: "run the Kubernetes operator (TuningJob and Trial controllers)",
  help: `Usage: hypertune operator [options]

Runs the controllers that turn TuningJobs into Trials and Kubernetes Jobs.
In a pod it uses the pod's service account; elsewhere the kubeconfig from
--kubeconfig, $KUBECONFIG or ~/.kube/config (its current context, or --context).

Options:
${KUBECONFIG_HELP}
  --namespace NS[,NS…]     watch only these namespaces (default: all namespaces)
  --leader-elect           campaign for a coordination.k8s.io Lease; only the leader reconciles
  --lease-namespace NS     namespace of the Lease (default: $POD_NAMESPACE, the first
                           --namespace, or "default")
  --lease-name NAME        name of the Lease (default: hypertune-operator)
  --lease-duration N       seconds a follower waits before taking over a silent leader's Lease
                           (default 15; the leader renews every N*2/15 s, steps down after N*2/3 s)
  --metrics-port N         port of /metrics in Prometheus format (default 8080)
  --health-port N          port of /healthz and /readyz (default 8081)
  --collector-image IMAGE  image of the File collector sidecar (default: $HYPERTUNE_IMAGE,
                           else ghcr.io/hypertune/hypertune:<version>)
  --workers N              reconciles in parallel per controller (default 4)
  --require-requester      multi-tenancy: create trials only for the requester recorded on the
                           TuningJob (the chart's MutatingAdmissionPolicy stamps it), and only
                           while that requester may create Jobs in the job's namespace
  --impersonate-requester  with --require-requester: create each trial's Job as the requester
                           (impersonation), so the operator itself needs no right to create Jobs
  --log-level LEVEL        fatal, error, warn, info (default), debug or trace
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      kubeconfig: { type: "string" },
      context: { type: "string" },
      namespace: { type: "string" },
      "leader-elect": { type: "boolean" },
      "lease-namespace": { type: "string" },
      "lease-name": { type: "string" },
      "lease-duration": { type: "string" },
      "metrics-port": { type: "string" },
      "health-port": { type: "string" },
      "collector-image": { type: "string" },
      workers: { type: "string" },
      "require-requester": { type: "boolean" },
      "impersonate-requester": { type: "boolean" },
      "log-level": { type: "string" },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const level = values["log-level"] ?? "info";
    if (!LOG_LEVELS.includes(level))
      throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(", ")}`);
    const metricsPort = positiveInteger("--metrics-port", values["metrics-port"], 0) ?? 8080;
    const healthPort = positiveInteger("--health-port", values["health-port"], 0) ?? 8081;
    const workers = positiveInteger("--workers", values.workers) ?? 4;
    const leaseDuration = positiveInteger("--lease-duration", values["lease-duration"], 1) ?? 15;
    if (values["impersonate-requester"] && !values["require-requester"])
      throw new UsageError(
        "--impersonate-requester needs --require-requester (it impersonates the recorded requester)",
      );

    // Loaded here, not at the top: every hypertune command imports this file, and the
    // Kubernetes client takes most of a second to load. The File collector's sidecar
    // (`hypertune collect`) must be up, its SIGTERM handler installed, before a short
    // training container ends, or the trial's metrics are lost.
    const [kc, { startManager }] = await Promise.all([
      loadKubeConfig(values),
      import("../../operator/manager.js"),
    ]);
    const log = pino({ level, base: { component: "hypertune-operator" } });
    const namespace = values.namespace;
    const identity = `${process.env.POD_NAME ?? hostname()}-${process.pid}`;
    const manager = await startManager({
      kc,
      ...(namespace && { namespace }),
      log,
      ...(values["leader-elect"] && {
        leaderElection: {
          namespace:
            values["lease-namespace"] ??
            process.env.POD_NAMESPACE ??
            namespace?.split(",")[0]?.trim() ??
            "default",
          name: values["lease-name"] ?? "hypertune-operator",
          identity,
          // client-go's ratios (15 s / 10 s / 2 s), so one flag keeps them consistent.
          leaseDurationSeconds: leaseDuration,
          renewDeadlineSeconds: (leaseDuration * 2) / 3,
          retryPeriodSeconds: (leaseDuration * 2) / 15,
        },
      }),
      metricsPort,
      healthPort,
      collectorImage: values["collector-image"] ?? defaultCollectorImage(),
      workers,
      ...(values["require-requester"] && { requireRequester: true }),
      ...(values["impersonate-requester"] && { impersonateRequester: true }),
    });
    log.info({ namespace: namespace ?? "(all)", identity, metricsPort, healthPort }, "operator started");
    const stop = () => {
      log.info("stopping");
      void manager.stop();
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    const { lostLeadership } = await manager.done;
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
    if (lostLeadership) log.error("leadership lost; exiting so that only the new leader writes");
    return lostLeadership ? EXIT_FAILED : EXIT_OK;
  },
};
