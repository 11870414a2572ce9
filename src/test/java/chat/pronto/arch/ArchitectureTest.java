package chat.pronto.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;
import java.util.Timer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaMethodCall;
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
    static final ArchRule filesUseOnlyTheJdkAndTheModel = noClasses().that().resideInAPackage("chat.pronto.files..")
            .should().dependOnClassesThat()
            .resideOutsideOfPackages("chat.pronto.files..", "chat.pronto.model..", "java..")
            .because("where received files land and what they are called is decided apart from how they travel");

    @ArchTest
    static final ArchRule transferMovesBytesWithTheJdkOnly = noClasses().that().resideInAPackage("chat.pronto.transfer..")
            .should().dependOnClassesThat()
            .resideOutsideOfPackages("chat.pronto.transfer..", "java..", "javax.net..")
            .because("moving a file's bytes (SOCKS5, copying, hashing) knows nothing of stanzas, sessions or screens");

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
    static final ArchRule dnsjavaStaysInWideArea = noClasses()
            .that().resideOutsideOfPackage("chat.pronto.widearea..")
            .should().dependOnClassesThat().resideInAPackage("org.xbill..")
            .because("unicast DNS (wide-area DNS-SD) is a detail of how peers are found beyond the link");

    @ArchTest
    static final ArchRule wideAreaKnowsNoSessions = noClasses().that().resideInAPackage("chat.pronto.widearea..")
            .should().dependOnClassesThat().resideInAnyPackage("chat.pronto.security..", "chat.pronto.stream..",
                    "chat.pronto.session..", "chat.pronto.history..", "chat.pronto.ui..", "chat.pronto.cli..",
                    "chat.pronto.app..", "javax.jmdns..")
            .because("wide-area discovery reads and writes DNS records; what happens with a peer is the session's business");

    @ArchTest
    static final ArchRule zxingStaysInTheWindow = noClasses()
            .that().resideOutsideOfPackage("chat.pronto.ui..")
            .should().dependOnClassesThat().resideInAPackage("com.google.zxing..")
            .because("QR codes are pictures the window draws");

    @ArchTest
    static final ArchRule aaltoStaysInStreams = noClasses()
            .that().resideOutsideOfPackage("chat.pronto.stream..")
            .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.aalto..", "org.codehaus.stax2..")
            .because("the fed XML parser is a detail of how a stream reads its frames");

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
    static final ArchRule theWindowDoesNotKnowTheConsole = noClasses().that().resideInAPackage("chat.pronto.ui..")
            .should().dependOnClassesThat().resideInAPackage("chat.pronto.cli..")
            .because("the desktop window and the terminal console are two front ends over the same ChatService");

    @ArchTest
    static final ArchRule smackStaysInStreamsAndSessions = noClasses()
            .that().resideOutsideOfPackages("chat.pronto.stream..", "chat.pronto.session..")
            .should().dependOnClassesThat().resideInAnyPackage("org.jivesoftware..", "org.jxmpp..")
            .because("stanzas are the business of the stream engine and the sessions; the rest sees the model");

    @ArchTest
    static final ArchRule onlyTheFrontEndsAndTheAppWriteToTheTerminal = noClasses()
            .that().resideOutsideOfPackages("chat.pronto.cli..", "chat.pronto.app..")
            .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
            .because("standard output is the terminal console's; everything else reports through the logger");

    @ArchTest
    static final ArchRule threadsArePlainJava = noClasses().that().resideInAPackage("chat.pronto.threads..")
            .should().dependOnClassesThat().resideOutsideOfPackages("chat.pronto.threads..", "java..")
            .because("every package may make its threads there, so it can depend on nothing but the JDK");

    @ArchTest
    static final ArchRule onlyThreadsMakesThreads = noClasses().that().resideOutsideOfPackage("chat.pronto.threads..")
            .should().callConstructorWhere(makesAThreadOrPool())
            .orShould().callMethodWhere(isInExecutors())
            .because("every thread is a named pronto-… daemon with a known bound, made in one place (Threads)");

    @ArchTest
    static final ArchRule nothingRunsOnTheCommonPool = noClasses()
            .should().callMethodWhere(runsOnTheCommonPool())
            .because("the common fork-join pool is shared, unnamed and unbounded in what waits on it: work goes to"
                    + " an executor of ours (Threads), given explicitly");

    @ArchTest
    static final ArchRule sessionPartsNeverReachBackIntoTheFacade = noClasses()
            .that().resideInAPackage("chat.pronto.session..").and().doNotHaveSimpleName("SessionManager")
            .should().dependOnClassesThat().haveSimpleName("SessionManager")
            .because("each part of a session gets what it needs from its SessionContext, so it can be tested with fakes");

    @ArchTest
    static final ArchRule wordsAreForTheFrontEnds = noClasses()
            .that().resideOutsideOfPackages("chat.pronto.ui..", "chat.pronto.cli..", "chat.pronto.words..")
            .should().dependOnClassesThat().resideInAPackage("chat.pronto.words..")
            .because("the core reports problems as data; only the window and the terminal put them in sentences");

    @ArchTest
    static final ArchRule wordsKnowOnlyTheModelAndTheFacade = noClasses().that().resideInAPackage("chat.pronto.words..")
            .should().dependOnClassesThat().resideInAnyPackage("chat.pronto.security..", "chat.pronto.stream..",
                    "chat.pronto.presence..", "chat.pronto.history..", "chat.pronto.settings..", "chat.pronto.ui..",
                    "chat.pronto.cli..", "chat.pronto.app..", "javafx..")
            .because("sentences are made from what the facade reports, in both front ends alike");

    @ArchTest
    static final ArchRule nothingDependsOnTheApp = noClasses().that().resideOutsideOfPackage("chat.pronto.app..")
            .should().dependOnClassesThat().resideInAPackage("chat.pronto.app..")
            .because("app only wires the other packages together");

    /** Constructors of the JDK's thread and pool classes (and their subclasses, anonymous ones included). */
    private static DescribedPredicate<JavaConstructorCall> makesAThreadOrPool() {
        List<Class<?>> makers = List.of(Thread.class, ThreadPoolExecutor.class, ForkJoinPool.class, Timer.class);
        return DescribedPredicate.describe("a constructor of Thread, ThreadPoolExecutor, ScheduledThreadPoolExecutor,"
                + " ForkJoinPool or Timer", call -> makers.stream().anyMatch(call.getTargetOwner()::isAssignableTo));
    }

    private static DescribedPredicate<JavaMethodCall> isInExecutors() {
        return DescribedPredicate.describe("a method of java.util.concurrent.Executors",
                call -> call.getTargetOwner().isEquivalentTo(Executors.class));
    }

    /**
     * Calls that hand work to the common pool: a CompletableFuture/CompletionStage {@code …Async} method
     * without an Executor ({@code supplyAsync(Supplier)}, {@code thenApplyAsync(Function)} …),
     * {@code delayedExecutor} without one, the pool itself, and parallel streams.
     */
    private static DescribedPredicate<JavaMethodCall> runsOnTheCommonPool() {
        return DescribedPredicate.describe("a call that runs work on the common fork-join pool", call -> {
            JavaClass owner = call.getTargetOwner();
            String name = call.getName();
            List<JavaClass> parameters = call.getTarget().getRawParameterTypes();
            boolean endsWithAnExecutor = !parameters.isEmpty()
                    && parameters.get(parameters.size() - 1).isEquivalentTo(Executor.class);
            boolean future = owner.isAssignableTo(CompletionStage.class);
            return future && name.endsWith("Async") && !endsWithAnExecutor
                    || future && name.equals("delayedExecutor") && !endsWithAnExecutor
                    || owner.isAssignableTo(ForkJoinPool.class) && name.equals("commonPool")
                    || name.equals("parallelStream") && owner.isAssignableTo(java.util.Collection.class)
                    || name.equals("parallel") && owner.isAssignableTo(java.util.stream.BaseStream.class);
        });
    }

    @ArchTest
    static final ArchRule noCycles = slices().matching("chat.pronto.(*)..").should().beFreeOfCycles()
            .because("dependencies between packages go one way");
}
