// The chart and the quickstart on the pinned Kubernetes release's real node
// (the project's shared cluster); kube-v1.29.last.test.ts runs the same cases
// on the oldest release the chart claims.
import { clients } from "../integration/operator-helpers.js";
import { chartQuickstartCases } from "./chart-quickstart-cases.js";

const connected = clients();
// This release also checks the dashboards (the chart's and `hypertune dashboard`) on the finished job.
chartQuickstartCases(() => connected, { dashboard: true });
