package bridge.companion;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Runs ImageJ code with System.out redirected.
 *
 * <p>Headless ImageJ prints its error messages to System.out, which in an embedded JVM is
 * the Python process's own stdout.  {@link #call} throws them away (ImageJ keeps the text
 * for {@code IJ.getErrorMessage()}); {@link #capture} keeps them, for scripts, whose
 * {@code print} goes to ImageJ's log, i.e. System.out when headless.  Calls nest; the
 * original stream is always restored.
 */
final class QuietOut {

    private static final Object LOCK = new Object();

    private QuietOut() {
    }

    /** {@code action.get()} with System.out discarded. */
    static <T> T call(Supplier<T> action) {
        return redirect(OutputStream.nullOutputStream(), action);
    }

    /** Holds the text printed during {@link #capture}: the log, and stack traces apart (see SplitOut). */
    static final class Captured<T> {
        final T value;
        final String text;
        final String stackTraces;

        Captured(T value, String text, String stackTraces) {
            this.value = value;
            this.text = text;
            this.stackTraces = stackTraces;
        }
    }

    /** {@code action.get()} with System.out collected as UTF-8 text. */
    static <T> Captured<T> capture(Supplier<T> action) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ByteArrayOutputStream traces = new ByteArrayOutputStream();
        T value = redirect(SplitOut.create(sink, traces), action);
        return new Captured<>(value, sink.toString(StandardCharsets.UTF_8), traces.toString(StandardCharsets.UTF_8));
    }

    private static <T> T redirect(OutputStream sink, Supplier<T> action) {
        return redirect(new PrintStream(sink, true, StandardCharsets.UTF_8), action);
    }

    private static <T> T redirect(PrintStream stream, Supplier<T> action) {
        PrintStream saved;
        synchronized (LOCK) {
            saved = System.out;
            System.setOut(stream);
        }
        try {
            return action.get();
        } finally {
            synchronized (LOCK) {
                System.out.flush();
                System.setOut(saved);
            }
        }
    }
}
