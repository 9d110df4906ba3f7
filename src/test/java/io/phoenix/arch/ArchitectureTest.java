package io.phoenix.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The layering of the main code, checked on its bytecode (so a fully qualified name in a method
 * body counts as much as an import). The package map and the reasons are in docs/architecture.md.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.phoenix");

  /** Everything above the wire layer: the wire codecs and endpoints must not know any of it. */
  private static final String[] ABOVE_BINANCE = {
    "io.phoenix.journal..",
    "io.phoenix.ops..",
    "io.phoenix.market..",
    "io.phoenix.execution..",
    "io.phoenix.reconcile..",
    "io.phoenix.account..",
    "io.phoenix.risk..",
    "io.phoenix.quoting..",
    "io.phoenix.recorder..",
    "io.phoenix.backtest..",
    "io.phoenix.chaos..",
    "io.phoenix.cluster..",
    "io.phoenix.sim.."
  };

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("io.phoenix.(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void topLevelClassesAreFreeOfCycles() {
    slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String name = javaClass.getName();
                int nested = name.indexOf('$');
                return SliceIdentifier.of(nested < 0 ? name : name.substring(0, nested));
              }

              @Override
              public String getDescription() {
                return "top-level classes";
              }
            })
        .should()
        .beFreeOfCycles()
        .check(MAIN);
  }

  @Test
  void theSharedVocabularyDependsOnNothingAboveIt() {
    noClasses()
        .that()
        .resideInAnyPackage("io.phoenix.core..", "io.phoenix.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ABOVE_BINANCE)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("io.phoenix.binance..", "io.phoenix.config..")
        .check(MAIN);
  }

  @Test
  void theBinanceWireLayerDependsOnlyOnTheLayersBelowIt() {
    noClasses()
        .that()
        .resideInAPackage("io.phoenix.binance..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ABOVE_BINANCE)
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("io.phoenix")
        .check(MAIN);
  }

  /**
   * A main file a newcomer can read in one sitting: 700 lines at most, counted after formatting
   * (the build formats every file the same way, so the count cannot be gamed by long lines).
   */
  @Test
  void noMainSourceFileIsLongerThan700Lines() throws java.io.IOException {
    java.nio.file.Path root = java.nio.file.Path.of("src/main/java");
    java.util.List<String> tooLong;
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root)) {
      tooLong =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> lines(f) > 700)
              .map(f -> root.relativize(f) + " (" + lines(f) + " lines)")
              .sorted()
              .toList();
    }
    org.junit.jupiter.api.Assertions.assertEquals(
        java.util.List.of(), tooLong, "main files over 700 lines");
  }

  private static long lines(java.nio.file.Path file) {
    try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(file)) {
      return lines.count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
