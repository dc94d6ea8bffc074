package bridge.companion;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs an ImageJ macro headless through ImageJ's own {@code Interpreter}.
 *
 * <ul>
 * <li>{@code Interpreter.run(macro, arg)} switches to batch mode when there is no ImageJ
 *     window, so images the macro opens stay off screen; {@link CommandTable} lets
 *     {@code open(path)} run without a menu bar.</li>
 * <li>The macro runs on its own thread whose name ends in "Macro$", as ImageJ's
 *     MacroRunner does: that is how {@code IJ.error} (e.g. "File not found" from
 *     {@code open}) knows to abort the macro instead of letting it carry on.</li>
 * <li>A syntax or runtime error makes the interpreter build an error dialog, which fails
 *     headless; the message and line it recorded first are returned.  An abort after
 *     {@code IJ.error} returns ImageJ's error message.  {@code exit()} is a normal end.</li>
 * <li>Images the macro left open are released, so every run starts with none.</li>
 * <li>What marks a macro as running is cleared ({@link #forgetRunningMacro}): left behind, it
 *     makes every later error in the process abort as if a macro were running (e.g.
 *     {@code DICOM.open} of a truncated file with Rescale Slope != 1 then throws "Macro canceled"
 *     instead of its NullPointerException).</li>
 * </ul>
 */
final class MacroRunner {

    private static final String THREAD_NAME = "bridge-Macro$";

    private MacroRunner() {
    }

    /** Runs {@code source}; {@code fresh} first closes every image and empties the Results table. */
    static ScriptResult run(String source, String name, String arg, boolean fresh) {
        Session.prepare();
        if (fresh) {
            Session.reset();
        }
        IJ.getErrorMessage(); // forget an error an earlier call left
        Interpreter interp = new Interpreter();
        QuietOut.Captured<Object> run = QuietOut.capture(() -> runOnMacroThread(() -> interp.run(source, arg), true));
        return result(interp, name, run).withStackTraces(run.stackTraces);
    }

    /**
     * {@code IJ.run(imp, command, options)} (or {@code IJ.run(command, options)} when imp is null)
     * on a macro thread, so that an ImageJ error aborts it and is reported, not only printed.
     */
    static ScriptResult runCommand(ImagePlus imp, String command, String options) {
        Session.prepare();
        IJ.getErrorMessage();
        String name = "run(\"" + command + "\")";
        ImagePlus[] opened = new ImagePlus[1];
        QuietOut.Captured<Object> run = QuietOut.capture(() -> runOnMacroThread(() -> {
            opened[0] = runReportingOpened(imp, command, options);
            return null;
        }, false));
        forgetRunningMacro();
        ScriptResult result = result(null, name, run).withStackTraces(run.stackTraces);
        return result.failed() ? result.withoutOutputEnding(result.errorMessage + "\n") : result.withOpened(opened[0]);
    }

    /**
     * {@code IJ.run(imp, command, options)} as ImageJ writes it (imp made this thread's current image
     * for the command, then the previous one restored), returning the image the command made current:
     * the one it opened (Duplicate..., Scale... with "create"), which {@code ImagePlus.show()} makes this
     * thread's current image when there is no ImageJ window; null when the command opened none.
     */
    private static ImagePlus runReportingOpened(ImagePlus imp, String command, String options) {
        ImagePlus saved = WindowManager.getTempCurrentImage();
        if (imp != null) {
            WindowManager.setTempCurrentImage(imp);
        }
        ImagePlus before = WindowManager.getCurrentImage();
        try {
            IJ.run(command, options);
            ImagePlus after = WindowManager.getCurrentImage();
            return after != before ? after : null;
        } finally {
            if (imp != null) {
                WindowManager.setTempCurrentImage(saved);
            }
        }
    }

    /**
     * A plugin object run as {@code IJ.run} runs a menu command's class: on a macro thread named
     * {@code Run$_...}, where {@code Macro.getOptions()} gives the plugin {@code options}, in batch
     * mode (as {@code ij.ImageJ -batch} runs a macro), so the images it shows stay off screen.  For
     * plugins ImageJ's own class loader cannot see (Bio-Formats, kept in a loader of its own); the
     * result carries the images the plugin showed.
     */
    static ScriptResult runPlugIn(PlugIn plugin, String arg, String options) {
        Session.prepare();
        IJ.getErrorMessage();
        String name = "run(\"" + plugin.getClass().getName() + "\")";
        List<ImagePlus> opened = new ArrayList<>();
        QuietOut.Captured<Object> run = QuietOut.capture(() -> runOnMacroThread(() -> {
            Thread thread = Thread.currentThread();
            thread.setName("Run$_" + thread.getName());
            Set<Integer> before = ids(Interpreter.getBatchModeImageIDs());
            Interpreter.batchMode = true;
            Macro.setOptions(thread, options);
            try {
                plugin.run(arg);
            } finally {
                Macro.setOptions(thread, null);
                for (int id : Interpreter.getBatchModeImageIDs()) {
                    if (!before.contains(id)) {
                        ImagePlus imp = WindowManager.getImage(id);
                        opened.add(imp);
                        Interpreter.removeBatchModeImage(imp);
                    }
                }
                WindowManager.setTempCurrentImage(null);
            }
            return null;
        }, false));
        forgetRunningMacro();
        ScriptResult result = result(null, name, run).withStackTraces(run.stackTraces);
        result = result.failed() ? result.withoutOutputEnding(result.errorMessage + "\n") : result;
        return result.withImages(opened.toArray(new ImagePlus[0]));
    }

    private static Set<Integer> ids(int[] values) {
        Set<Integer> set = new HashSet<>();
        for (int value : values) {
            set.add(value);
        }
        return set;
    }

    private static ScriptResult result(Interpreter interp, String name, QuietOut.Captured<Object> run) {
        String syntaxOrRuntime = interp == null ? null : interp.getErrorMessage();
        if (syntaxOrRuntime != null) {
            return ScriptResult.failed(run.text, name, lineOf(interp), syntaxOrRuntime);
        }
        String imagejError = IJ.getErrorMessage();
        if (!(run.value instanceof Throwable)) {
            return imagejError == null || interp != null
                    ? ScriptResult.ok(run.text, (String) run.value)
                    : ScriptResult.failed(run.text, name, -1, imagejError.trim());
        }
        Throwable e = (Throwable) run.value;
        if (Macro.MACRO_CANCELED.equals(e.getMessage())) {
            if (imagejError != null) {
                return ScriptResult.failed(run.text, name, lineOf(interp), imagejError.trim());
            }
            String dialog = DialogGuard.lastClosed();
            return dialog == null
                    ? ScriptResult.ok(run.text, null) // exit()
                    : ScriptResult.failed(run.text, name, lineOf(interp), "the \"" + dialog
                            + "\" dialog was opened: give the command its options (as the macro recorder"
                            + " writes them); bridge has no screen to show a dialog on");
        }
        return ScriptResult.failed(run.text, name, lineOf(interp), e.getClass().getName() + ": " + e.getMessage());
    }

    /** What {@code body} returned, or the Throwable that ended it; run on a thread named like ImageJ's macro threads. */
    private static Object runOnMacroThread(java.util.function.Supplier<Object> body, boolean release) {
        Object[] outcome = new Object[1];
        Thread thread = new Thread(() -> {
            try {
                outcome[0] = body.get();
            } catch (Throwable e) { // MACRO_CANCELED, a HeadlessException from an error dialog, ...
                outcome[0] = e;
            } finally {
                if (release) {
                    releaseImages(); // on this thread: ImageJ keeps the current image per thread
                }
            }
        }, THREAD_NAME);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Interpreter.abort();
            Thread.currentThread().interrupt();
            return e;
        }
        return outcome[0];
    }

    /**
     * The line ImageJ's error dialog would name ("... in line N"), which the interpreter keeps
     * in a package-private field; for an abort, where that field is unset, the line of the
     * statement being run.
     */
    private static int lineOf(Interpreter interp) {
        if (interp == null) {
            return -1;
        }
        try {
            Field field = Interpreter.class.getDeclaredField("lineNumber");
            field.setAccessible(true);
            int line = field.getInt(interp);
            return line > 0 ? line : interp.getLineNumber();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static void releaseImages() {
        for (int id : Interpreter.getBatchModeImageIDs()) {
            Interpreter.removeBatchModeImage(WindowManager.getImage(id));
        }
        WindowManager.setTempCurrentImage(null);
        forgetRunningMacro();
    }

    /**
     * Ends the batch mode {@code Interpreter.run} switches on when there is no ImageJ window
     * (and does not switch off), and clears {@code IJ.macroInterpreter}, which an abort through
     * {@code IJ.noImage} or {@code IJ.error} leaves set.  With either left, {@code IJ.abort}
     * takes any later error in the process for a macro's and throws "Macro canceled".
     */
    static void forgetRunningMacro() {
        Interpreter.batchMode = false;
        try {
            Field field = IJ.class.getDeclaredField("macroInterpreter");
            field.setAccessible(true);
            field.set(null, null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another ImageJ version: nothing to clear
        }
    }
}
