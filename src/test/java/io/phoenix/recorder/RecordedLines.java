package io.phoenix.recorder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Reads what the recorder wrote, for the tests. */
final class RecordedLines {
  private RecordedLines() {}

  /** Files of {@code dir} whose name starts with {@code prefix}, in name (= day) order. */
  static List<Path> files(Path dir, String prefix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    }
  }

  /** Every line of the files, in order. */
  static List<String> lines(List<Path> files) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path f : files) {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          out.add(line);
        }
      }
    }
    return out;
  }

  static long count(List<String> lines, String marker) {
    return lines.stream().filter(l -> l.contains(marker)).count();
  }
}
