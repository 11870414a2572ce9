package chat.pronto.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The doors between Pronto's packages go one way (see README, Architecture). */
@AnalyzeClasses(packages = "chat.pronto", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule modelIsPlainJava = noClasses().that().resideInAPackage("chat.pronto.model..")
            .should().dependOnClassesThat().resideOutsideOfPackages("chat.pronto.model..", "java..")
            .because("the model is plain records every layer can share");

    @ArchTest
    static final ArchRule settingsUseOnlyTheJdkAndTheModel = noClasses().that().resideInAPackage("chat.pronto.settings..")
            .should().dependOnClassesThat()
            .resideOutsideOfPackages("chat.pronto.settings..", "chat.pronto.model..", "java..")
            .because("the user's preferences are plain values in a file that the terminal and the window share");

    @ArchTest
    static final ArchRule onlyTheFrontEndsAndTheAppReadTheSettings = noClasses()
            .that().resideOutsideOfPackages("chat.pronto.settings..", "chat.pronto.ui..", "chat.pronto.cli..",
                    "chat.pronto.app..")
            .should().dependOnClassesThat().resideInAPackage("chat.pronto.settings..")
            .because("the core is configured by app (where a flag wins over a saved value), never by reading"
                    + " the user's files itself");

    @ArchTest
    static final ArchRule bouncyCastleStaysInSecurity = noClasses()
            .that().resideOutsideOfPackage("chat.pronto.security..")
            .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
            .because("the rest of Pronto sees keys and certificates only as JDK types");

    @ArchTest
    static final ArchRule jmdnsStaysInPresence = noClasses()
            .that().resideOutsideOfPackage("chat.pronto.presence..")
            .should().dependOnClassesThat().resideInAPackage("javax.jmdns..")
            .because("JmDNS is hidden behind the PresenceService interface");

    @ArchTest
    static final ArchRule javafxStaysInUi = noClasses()
            .that().resideOutsideOfPackage("chat.pronto.ui..")
            .should().dependOnClassesThat().resideInAPackage("javafx..")
            .because("only the desktop UI may touch JavaFX; the core runs headless");

    @ArchTest
    static final ArchRule securityKnowsNoStreams = noClasses().that().resideInAPackage("chat.pronto.security..")
            .should().dependOnClassesThat().resideInAnyPackage("chat.pronto.stream..", "chat.pronto.presence..",
                    "chat.pronto.session..", "chat.pronto.history..", "chat.pronto.ui..", "chat.pronto.cli..",
                    "chat.pronto.app..")
            .because("security is used by streams, never the other way round");

    @ArchTest
    static final ArchRule streamsUseOnlyModelAndSecurity = noClasses().that().resideInAPackage("chat.pronto.stream..")
            .should().dependOnClassesThat().resideInAnyPackage("chat.pronto.presence..", "chat.pronto.session..",
                    "chat.pronto.history..", "chat.pronto.ui..", "chat.pronto.cli..", "chat.pronto.app..")
            .because("a stream knows its socket, its peer's name and the security API, nothing above it");

    @ArchTest
    static final ArchRule presenceUsesOnlyTheModel = noClasses().that().resideInAPackage("chat.pronto.presence..")
            .should().dependOnClassesThat().resideInAnyPackage("chat.pronto.security..", "chat.pronto.stream..",
                    "chat.pronto.session..", "chat.pronto.history..", "chat.pronto.ui..", "chat.pronto.cli..",
                    "chat.pronto.app..")
            .because("discovery publishes and reads adverts; what happens with a peer is the session's business");

    @ArchTest
    static final ArchRule historyUsesOnlyTheModelAndJdbc = noClasses().that().resideInAPackage("chat.pronto.history..")
            .should().dependOnClassesThat().resideInAnyPackage("chat.pronto.security..", "chat.pronto.stream..",
                    "chat.pronto.presence..", "chat.pronto.session..", "chat.pronto.ui..", "chat.pronto.cli..",
                    "chat.pronto.app..", "org.sqlite..")
            .because("the history is plain JDBC over model records; the SQLite driver is only loaded by its URL");

    @ArchTest
    static final ArchRule sessionsKnowNoFrontEnd = noClasses().that().resideInAPackage("chat.pronto.session..")
            .should().dependOnClassesThat().resideInAnyPackage("chat.pronto.ui..", "chat.pronto.cli..",
                    "chat.pronto.app..")
            .because("the session layer serves the front ends through ChatService and never calls them");

    @ArchTest
    static final ArchRule frontEndsUseOnlyTheFacadeAndTheModel = noClasses()
            .that().resideInAnyPackage("chat.pronto.ui..", "chat.pronto.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("chat.pronto.security..", "chat.pronto.stream..",
                    "chat.pronto.presence..", "chat.pronto.history..", "org.jivesoftware..", "javax.jmdns..")
            .because("the desktop UI and the terminal console see Pronto only through ChatService and the model");

    @ArchTest
    static final ArchRule frontEndsDoNotKnowEachOther = noClasses().that().resideInAPackage("chat.pronto.cli..")
            .should().dependOnClassesThat().resideInAPackage("chat.pronto.ui..")
            .because("the terminal console runs without JavaFX");

    @ArchTest
    static final ArchRule nothingDependsOnTheApp = noClasses().that().resideOutsideOfPackage("chat.pronto.app..")
            .should().dependOnClassesThat().resideInAPackage("chat.pronto.app..")
            .because("app only wires the other packages together");

    @ArchTest
    static final ArchRule noCycles = slices().matching("chat.pronto.(*)..").should().beFreeOfCycles()
            .because("dependencies between packages go one way");
}
