package com.leakedkeybot;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules README's "How the code is laid out" states, checked over the compiled classes: a convention
 * nobody checks is one nobody keeps.
 */
class ArchitectureTest {

    private static final String BOT = "com.leakedkeybot";
    /** Everything but the adapters (aws, slack, server, state, github) and the composition root. */
    private static final String[] DOMAIN = {BOT + ".approval..", BOT + ".attribution..", BOT + ".audit..",
            BOT + ".blastradius..", BOT + ".config..", BOT + ".incident..", BOT + ".intake..", BOT + ".investigation..",
            BOT + ".key..", BOT + ".reference..", BOT + ".remediation..", BOT + ".runbook..", BOT + ".step.."};
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(BOT);

    @Test
    void noPackageDependsOnItselfThroughAnother() {
        slices().matching(BOT + ".(**)").should().beFreeOfCycles().check(PRODUCTION);
    }

    @Test
    void theDomainKnowsNeitherSlackNorAws() {
        noClasses().that().resideInAnyPackage(DOMAIN).should().dependOnClassesThat()
                .resideInAnyPackage("com.slack..", "software.amazon..").check(PRODUCTION);
    }

    @Test
    void theDomainUsesNoAdapterAndNotTheCompositionRoot() {
        noClasses().that().resideInAnyPackage(DOMAIN).should().dependOnClassesThat()
                .resideInAnyPackage(BOT + ".aws..", BOT + ".slack..", BOT + ".server..", BOT + ".state..", BOT)
                .check(PRODUCTION);
    }

    @Test
    void theRunbookSitsAboveWhatItOrchestrates() {
        noClasses().that().resideInAnyPackage(BOT + ".incident..", BOT + ".investigation..", BOT + ".blastradius..",
                        BOT + ".attribution..",
                        BOT + ".remediation..", BOT + ".approval..", BOT + ".step..", BOT + ".audit..")
                .should().dependOnClassesThat().resideInAnyPackage(BOT + ".runbook..").check(PRODUCTION);
    }

    /** The sandbox is its own command: the bot's normal start, and every part of the bot, never reaches it. */
    @Test
    void onlyTheCommandLineReachesTheSandbox() {
        noClasses().that().resideOutsideOfPackage(BOT + ".sandbox..").and().doNotHaveFullyQualifiedName(BOT + ".Main")
                .should().dependOnClassesThat().resideInAPackage(BOT + ".sandbox..").check(PRODUCTION);
    }

    @Test
    void stepsKnowNothingOfHowTheyAreApprovedAndRun() {
        noClasses().that().resideInAnyPackage(BOT + ".remediation..").should().dependOnClassesThat()
                .resideInAnyPackage(BOT + ".approval..").check(PRODUCTION);
    }

    @Test
    void stepsReachAwsOnlyThroughTheirPorts() {
        noClasses().that().resideInAPackage(BOT + ".remediation.port").should().dependOnClassesThat()
                .resideInAnyPackage(BOT + ".remediation", BOT + ".incident..", BOT + ".approval..")
                .check(PRODUCTION);
    }
}
