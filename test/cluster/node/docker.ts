// The Docker daemon images come from: the harness's own (test/images/dockerd.sh)
// unless DOCKER_HOST names another, as on a user's machine.
export const harnessDockerHost = "unix:///run/hypertune-docker/docker.sock";

export function dockerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_HOST: process.env.DOCKER_HOST || harnessDockerHost };
}
