package chat.pronto.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPortTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "192.168.1.20|192.168.1.20|5298",
            "  192.168.1.20:5299 |192.168.1.20|5299",
            "Laptop.Local:6000|laptop.local|6000",
            "[fd00::5]:5300|fd00::5|5300",
            "fd00::5|fd00::5|5298",
            "[fe80::1%eth0]|fe80::1%eth0|5298",
            "host-1.lan.|host-1.lan.|5298"})
    void readsWhatPeopleType(String typed, String host, int port) {
        HostPort parsed = HostPort.parse(typed);
        assertEquals(host, parsed.host());
        assertEquals(port, parsed.port());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|type an address such as 192.168.1.20 or laptop.local:5298",
            "10.0.0.1:99999|the port must be between 1 and 65535, not 99999",
            "10.0.0.1:0|the port must be between 1 and 65535, not 0",
            "10.0.0.1:http|the port must be a number, not \"http\"",
            "[fd00::5|an IPv6 address opened with [ needs its closing ]",
            "[fd00::5]5298|after ] only :PORT may follow, not 5298",
            "bad_host!|not a host name or address: bad_host!",
            ":5298|no host given",
            "-x.lan|not a host name or address: -x.lan",
            "[zz::1]:1|not an IPv6 address: zz::1"})
    void saysWhatIsWrong(String typed, String reason) {
        assertEquals(reason, assertThrows(IllegalArgumentException.class, () -> HostPort.parse(typed)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"10.0.0.53|10.0.0.53|53", "fd00::53|fd00::53|53", "[fd00::53]:5353|fd00::53|5353",
            "dns.lan:5300|dns.lan|5300"})
    void takesAnotherDefaultPort(String typed, String host, int port) {
        assertEquals(new HostPort(host, port), HostPort.parse(typed, 53));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"10.0.0.1|5298|10.0.0.1:5298", "fd00::1|7|[fd00::1]:7"})
    void printsIpv6InBrackets(String host, int port, String text) {
        assertEquals(text, new HostPort(host, port).toString());
        assertEquals(new HostPort(host, port), HostPort.parse(text));
    }
}
