package chat.pronto.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** What later launches ask waits for the window, comes in order, and goes nowhere once the window is gone. */
class OpenRequestsTest {
    @Test
    void requestsWaitForTheirTakerInOrderAndGoNowhereAfterIt() {
        OpenRequests requests = new OpenRequests();
        requests.deliver(new OpenRequests.Request(Optional.of("xmpp:a@a?pronto")));
        requests.deliver(new OpenRequests.Request(Optional.empty()));
        List<OpenRequests.Request> taken = new ArrayList<>();
        requests.handledBy(taken::add);
        requests.deliver(new OpenRequests.Request(Optional.of("xmpp:b@b?pronto")));
        assertEquals(List.of(Optional.of("xmpp:a@a?pronto"), Optional.empty(), Optional.of("xmpp:b@b?pronto")),
                taken.stream().map(OpenRequests.Request::link).toList());

        requests.handledBy(request -> { });
        requests.deliver(new OpenRequests.Request(Optional.empty()));
        assertEquals(3, taken.size(), "the window is gone: nothing more reaches it");
    }
}
