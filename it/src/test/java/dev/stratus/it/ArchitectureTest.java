package dev.stratus.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module boundaries of DESIGN.md, checked on the compiled classes. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.stratus");
    }

    @Test
    void storageKnowsNothingOfKafkaNorOfTheLayersAboveIt() {
        noClasses().that().resideInAPackage("dev.stratus.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "dev.stratus.metadata..",
                        "dev.stratus.broker..", "dev.stratus.server..")
                .check(classes);
    }

    @Test
    void metadataDependsOnlyOnStorageInterfaces() {
        noClasses().that().resideInAPackage("dev.stratus.metadata..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "dev.stratus.broker..",
                        "dev.stratus.server..", "dev.stratus.storage.wal..", "dev.stratus.storage.objects..",
                        "dev.stratus.storage.format..", "dev.stratus.storage.engine..", "dev.stratus.storage.cache..",
                        "dev.stratus.storage.upload..")
                .check(classes);
    }

    @Test
    void theBrokerSeesStreamsNeverWalPositionsObjectKeysOrTheController() {
        noClasses().that().resideInAPackage("dev.stratus.broker..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.stratus.storage.wal..",
                        "dev.stratus.storage.objects..", "dev.stratus.storage.format..", "dev.stratus.storage.engine..",
                        "dev.stratus.storage.cache..", "dev.stratus.storage.upload..", "dev.stratus.metadata.controller..",
                        "dev.stratus.metadata.journal..", "dev.stratus.metadata.record..", "dev.stratus.server..",
                        "software.amazon..")
                .check(classes);
    }
}
