// vitest's default order, except that files named *.last.test.ts run after
// all others, in name order: the real node's cleanup drill tears down the
// cluster the other files share, and a file after it may start another.
import { BaseSequencer, type TestSpecification } from "vitest/node";

export default class LastFileSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const last = (spec: TestSpecification) => spec.moduleId.endsWith(".last.test.ts");
    const byName = (a: TestSpecification, b: TestSpecification) => a.moduleId.localeCompare(b.moduleId);
    return [...sorted.filter((spec) => !last(spec)), ...sorted.filter(last).sort(byName)];
  }
}
