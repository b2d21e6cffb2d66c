package dev.tamperwatch.detect;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Detectors are pure Java: no streaming engine, broker client, wire format or event schema. */
@AnalyzeClasses(
        packages = "dev.tamperwatch.detect",
        importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundaryTest {

    @ArchTest
    static final ArchRule detectorsArePureJava =
            noClasses()
                    .that()
                    .resideInAPackage("dev.tamperwatch.detect..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "org.apache.flink..",
                            "org.apache.kafka..",
                            "org.apache.avro..",
                            "dev.tamperwatch.schema..");
}
