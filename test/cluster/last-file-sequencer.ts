// vitest's default order, except that files named *.last.test.ts run after
// all others of their project: the real node's cleanup drill tears down the
// cluster the other files share.
import { BaseSequencer, type TestSpecification } from "vitest/node";

export default class LastFileSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const last = (spec: TestSpecification) => spec.moduleId.endsWith(".last.test.ts");
    return [...sorted.filter((spec) => !last(spec)), ...sorted.filter(last)];
  }
}
