// Static checks of charts/hypertune that need no cluster: its CRDs are the
// generated ones, and the one RBAC list has no wildcards and no Secrets (and
// the dashboard's part of it only reads).
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = resolve(import.meta.dirname, "..", "..", "..");
const chart = resolve(root, "charts", "hypertune");

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  when?: "direct" | "impersonating";
}

describe("charts/hypertune", () => {
  it("ships the CRDs exactly as generated into crds/ (npm run gen:crds writes both)", () => {
    const generated = readdirSync(resolve(root, "crds")).sort();
    expect(readdirSync(resolve(chart, "crds")).sort()).toEqual(generated);
    for (const file of generated)
      expect(readFileSync(resolve(chart, "crds", file), "utf8"), file).toBe(
        readFileSync(resolve(root, "crds", file), "utf8"),
      );
  });

  it("grants no wildcard and nothing on Secrets", () => {
    const lists = parse(readFileSync(resolve(chart, "rbac-rules.yaml"), "utf8")) as Record<string, Rule[]>;
    expect(Object.keys(lists).sort()).toEqual(["dashboard", "impersonating", "leaderElection", "watched"]);
    // The dashboard only reads.
    for (const rule of lists.dashboard ?? [])
      expect(rule.verbs.filter((v) => !["get", "list", "watch"].includes(v))).toEqual([]);
    // `impersonate` only where the chart creates Jobs as the requester (multiTenancy.impersonate).
    for (const [key, rules] of Object.entries(lists))
      for (const rule of rules)
        if (rule.verbs.includes("impersonate"))
          expect(key === "impersonating" || rule.when === "impersonating").toBe(true);
    for (const rule of Object.values(lists).flat()) {
      for (const word of [...rule.apiGroups, ...rule.resources, ...rule.verbs])
        expect(word).not.toContain("*");
      expect(rule.resources.filter((r) => r.split("/")[0] === "secrets")).toEqual([]);
      expect(rule.verbs).not.toContain("escalate");
      expect(rule.verbs).not.toContain("bind");
    }
  });
});
