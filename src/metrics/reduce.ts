/** How one metric's reports become one number for a trial: the smallest, the largest, or the last. */
export type MetricReduction = "Min" | "Max" | "Last";
