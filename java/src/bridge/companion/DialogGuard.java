package bridge.companion;

import ij.gui.MultiLineLabel;
import java.awt.AWTEvent;
import java.awt.Component;
import java.awt.Container;
import java.awt.Label;
import java.lang.reflect.Field;
import java.awt.Dialog;
import java.awt.EventQueue;
import java.awt.Toolkit;
import java.awt.Window;
import java.awt.event.WindowEvent;

/**
 * Closes every dialog ImageJ shows on bridge's virtual display, as a user pressing Cancel would.
 *
 * <p>Nobody can see or click bridge's display, so a dialog that is shown (rather than
 * only built, as {@code GenericDialog} does when a macro gives the options) would wait
 * forever; {@code ij.ImageJ -batch} under Xvfb does hang there.  ImageJ shows one
 * when a command gets no options ({@code run("Median...")}) and for macro errors (the
 * "Macro Error" dialog, after the interpreter has recorded message and line).
 * Cancelling makes ImageJ abort the macro ({@code GenericDialog.wasCanceled} calls
 * {@code Macro.abort}); {@link #lastClosed} names the dialog so the error can say why.
 */
final class DialogGuard {

    private static boolean installed;
    private static volatile String lastClosed;
    private static volatile String lastText;

    private DialogGuard() {
    }

    /** Starts watching for dialogs; needs a display; cheap after the first call. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        Toolkit.getDefaultToolkit().addAWTEventListener(DialogGuard::onWindowEvent, AWTEvent.WINDOW_EVENT_MASK);
        installed = true;
    }

    /** The title of the last dialog closed since {@link #forget}, or null. */
    static String lastClosed() {
        return lastClosed;
    }

    /** The message the last closed dialog showed (its labels, one per line), or null. */
    static String lastText() {
        return lastText;
    }

    static void forget() {
        lastClosed = null;
        lastText = null;
    }

    private static void onWindowEvent(AWTEvent event) {
        if (event.getID() != WindowEvent.WINDOW_OPENED || !(event.getSource() instanceof Dialog)) {
            return;
        }
        Dialog dialog = (Dialog) event.getSource();
        StringBuilder text = new StringBuilder();
        collectText(dialog, text);
        lastText = text.toString();
        lastClosed = dialog.getTitle();
        EventQueue.invokeLater(() -> close(dialog));
    }

    /** The text of the dialog's labels: AWT Labels and ImageJ's MultiLineLabel (whose lines are a field). */
    private static void collectText(Container container, StringBuilder text) {
        for (Component component : container.getComponents()) {
            if (component instanceof Label) {
                text.append(((Label) component).getText()).append('\n');
            } else if (component instanceof MultiLineLabel) {
                try {
                    Field lines = MultiLineLabel.class.getDeclaredField("lines");
                    lines.setAccessible(true);
                    for (String line : (String[]) lines.get(component)) {
                        text.append(line).append('\n');
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // another ImageJ version: the title still names the dialog
                }
            } else if (component instanceof Container) {
                collectText((Container) component, text);
            }
        }
    }

    private static void close(Window window) {
        window.dispatchEvent(new WindowEvent(window, WindowEvent.WINDOW_CLOSING));
        window.dispose(); // a dialog that ignores WINDOW_CLOSING still stops waiting
    }
}
