package chat.pronto.presence;

import javax.jmdns.impl.DNSTaskStarter;
import javax.jmdns.impl.NameRegister;

/**
 * Installs Pronto's changes to JmDNS, once per JVM and before the first responder is made: JmDNS
 * takes both hooks as process-wide settings.
 */
final class JmdnsTuning {
    private static boolean installed;

    private JmdnsTuning() {
    }

    static synchronized void install() {
        if (!installed) {
            DNSTaskStarter.Factory.setClassDelegate(RfcTimingTaskStarter::new);
            NameRegister.Factory.setRegistry(new XepNameRegister());
            installed = true;
        }
    }
}
