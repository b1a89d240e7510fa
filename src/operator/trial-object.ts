/** The Trial object the TuningJob controller creates for one suggestion (and `hypertune render` prints). */
import { API_GROUP_VERSION, type ParameterValues, type Trial } from "../api/index.js";
import { trialLabels, trialName } from "./labels.js";

export function trialObject(
  jobName: string,
  namespace: string,
  jobUid: string,
  index: number,
  parameters: ParameterValues,
): Trial {
  const name = trialName(jobName, index);
  return {
    apiVersion: API_GROUP_VERSION,
    kind: "Trial",
    metadata: {
      name,
      namespace,
      labels: trialLabels(jobName, name),
      ownerReferences: [
        {
          apiVersion: API_GROUP_VERSION,
          kind: "TuningJob",
          name: jobName,
          uid: jobUid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { tuningJob: jobName, index, parameters },
  } as Trial;
}
