package org.parsl.benchmarks;

/**
 * One benchmark's outcome: our figure, the baseline's figure measured in the same run, and their
 * ratio oriented so that above 1 means we are better.
 */
record Result(String bench, double ours, double baseline, double ratio, String unit, String baselineName, String note) {

    static Result higherIsBetter(String bench, double ours, double baseline, String unit, String baselineName, String note) {
        return new Result(bench, ours, baseline, baseline == 0 ? 0 : ours / baseline, unit, baselineName, note);
    }

    static Result lowerIsBetter(String bench, double ours, double baseline, String unit, String baselineName, String note) {
        return new Result(bench, ours, baseline, ours == 0 ? 0 : baseline / ours, unit, baselineName, note);
    }

    String json() {
        return String.format(java.util.Locale.ROOT,
                "{\"bench\": \"%s\", \"ours\": %.3f, \"baseline\": %.3f, \"ratio\": %.3f, \"unit\": \"%s\", \"baseline_name\": \"%s\", \"note\": \"%s\"}",
                bench, ours, baseline, ratio, unit, baselineName, note.replace("\"", "'"));
    }
}
