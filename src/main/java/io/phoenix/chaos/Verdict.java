package io.phoenix.chaos;

/**
 * One invariant's outcome for the report.
 *
 * @param value what was measured, formatted
 * @param limit what it had to satisfy, formatted
 * @param detail evidence for a failure (first offenders, worst symbol); may be empty
 */
public record Verdict(String name, String value, String limit, boolean pass, String detail) {}
