package chat.pronto.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;
import chat.pronto.model.StoredMessage;
import chat.pronto.model.TypingState;
import chat.pronto.session.ChatEvent;
import chat.pronto.testing.FakeChatService;
import chat.pronto.ui.chat.ConversationViewModel;
import chat.pronto.ui.roster.ContactItem;
import chat.pronto.ui.roster.RosterViewModel;

/** The view models on their own: no window, no FX thread (events run where they are emitted). */
class ViewModelsTest {
    private static final PeerId BOB = PeerId.of("bob@teaparty");

    @Test
    void thePeerListSortsOnlineFirstThenByStatusThenByNameAndFilters() {
        RosterViewModel roster = new RosterViewModel();
        roster.onChatEvent(new ChatEvent.ContactChanged(FakeChatService.contact("zed@z", "Zed", Status.AVAILABLE, "",
                LinkSecurity.NONE)));
        roster.onChatEvent(new ChatEvent.ContactChanged(FakeChatService.contact("amy@a", "Amy", Status.AWAY, "",
                LinkSecurity.NONE)));
        roster.onChatEvent(new ChatEvent.ContactChanged(FakeChatService.contact("bob@b", "Bob", Status.AVAILABLE, "",
                LinkSecurity.ENCRYPTED)));
        roster.onChatEvent(new ChatEvent.ContactChanged(FakeChatService.contact("cat@c", "Cat", Status.DO_NOT_DISTURB,
                "", LinkSecurity.NONE)));
        roster.onChatEvent(new ChatEvent.ContactGone(PeerId.of("zed@z")));
        assertEquals(List.of("Bob", "Amy", "Cat", "Zed"), names(roster));

        roster.onChatEvent(new ChatEvent.ContactChanged(FakeChatService.contact("cat@c", "Cat", Status.AVAILABLE, "",
                LinkSecurity.NONE)));
        assertEquals(List.of("Bob", "Cat", "Amy", "Zed"), names(roster), "a status change re-sorts");

        roster.searchProperty().set("a");
        assertEquals(List.of("Cat", "Amy"), names(roster));
        roster.searchProperty().set("bob@");
        assertEquals(List.of("Bob"), names(roster), "the instance name is searched too");
    }

    @Test
    void messagesToAConversationNotOnScreenCountAsUnreadUntilItIsOpened() {
        RosterViewModel roster = new RosterViewModel();
        roster.onChatEvent(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "1", "hi", Instant.now())));
        roster.onChatEvent(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "2", "there", Instant.now())));
        ContactItem bob = roster.find(BOB).orElseThrow();
        assertEquals(2, bob.unreadProperty().get());
        assertEquals(2, roster.unreadTotal().get());

        roster.show(BOB);
        assertEquals(0, roster.unreadTotal().get());
        roster.onChatEvent(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "3", "seen at once", Instant.now())));
        assertEquals(0, bob.unreadProperty().get(), "the open conversation is read as it arrives");
        roster.onChatEvent(new ChatEvent.MessageAdded(ChatMessage.outgoing(BOB, "4", "mine", Instant.now())));
        assertEquals(0, roster.unreadTotal().get(), "our own messages are never unread");
    }

    @Test
    void aConversationShowsHistoryThenLiveMessagesAndFollowsDeliveryStates() {
        FakeChatService chat = new FakeChatService();
        chat.history.put(BOB, List.of(
                new StoredMessage(1, ChatMessage.incoming(BOB, "h1", "old one", Instant.now())),
                new StoredMessage(2, ChatMessage.incoming(BOB, "h2", "old two", Instant.now()))));
        ConversationViewModel conversation = new ConversationViewModel(BOB, chat, Runnable::run);
        chat.addListener(conversation);
        conversation.load();
        assertEquals(List.of("old one", "old two"), bodies(conversation));

        conversation.draftProperty().set("  hello Bob  ");
        assertEquals(List.of(BOB + " COMPOSING"), chat.typing);
        conversation.send();
        assertEquals("", conversation.draftProperty().get());
        assertEquals("hello Bob", chat.sent.get(0).body(), "sent trimmed");
        assertEquals(List.of("old one", "old two", "hello Bob"), bodies(conversation));

        ChatMessage sent = chat.sent.get(0);
        chat.emit(new ChatEvent.MessageUpdated(sent.withState(DeliveryState.DELIVERED, null)));
        assertEquals(DeliveryState.DELIVERED, conversation.messages().get(2).stateProperty().get());

        chat.emit(new ChatEvent.Typing(BOB, TypingState.COMPOSING));
        assertEquals("is typing…", conversation.typingProperty().get());
        chat.emit(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "x", "answer", Instant.now())));
        assertEquals("", conversation.typingProperty().get(), "a message ends the typing");
        chat.emit(new ChatEvent.MessageAdded(ChatMessage.incoming(PeerId.of("other@x"), "y", "elsewhere",
                Instant.now())));
        assertEquals(4, conversation.messages().size(), "other conversations stay out");
    }

    @Test
    void aMessageThatCannotBeStoredComesBackIntoTheComposeBoxWithTheReason() {
        FakeChatService chat = new FakeChatService();
        chat.failSendsWith(new java.io.IOException("Could not store a message: the disk is full."));
        ConversationViewModel conversation = new ConversationViewModel(BOB, chat, Runnable::run);
        conversation.draftProperty().set("important words");
        conversation.send();
        assertEquals("important words", conversation.draftProperty().get());
        assertTrue(conversation.problemProperty().get().contains("disk is full"));
    }

    private static List<String> names(RosterViewModel roster) {
        return roster.contacts().stream().map(item -> item.displayNameProperty().get()).toList();
    }

    private static List<String> bodies(ConversationViewModel conversation) {
        return conversation.messages().stream().map(item -> item.body()).toList();
    }
}
