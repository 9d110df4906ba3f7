package io.phoenix.chaos;

/** An invariant evaluated over the samples of a run, in time order. Not thread-safe. */
public interface Check {
  void observe(Sample sample);

  Verdict verdict();
}
