package bridge.companion;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.measure.ResultsTable;
import ij.plugin.frame.RoiManager;
import ij.text.TextWindow;
import java.awt.Frame;
import ij.util.ThreadUtil;
import java.awt.GraphicsEnvironment;
import java.util.concurrent.Executors;

/**
 * What ImageJ needs before a script or command runs, and the fresh state a script starts from.
 *
 * <p>With a display (bridge's Xvfb), ImageJ builds its own command table the way it does
 * at start-up ({@code Menus}: the jar's {@code IJ_Props.txt} plus the menu items
 * {@code Menus} adds itself), and {@link DialogGuard} closes any dialog that is shown
 * (installed as AWT starts, see {@link ToolkitStartHook}).
 * Headless, only {@link CommandTable}'s few rescale commands exist.
 */
final class Session {

    private Session() {
    }

    /** Makes ImageJ ready to run commands (its table is built on the first); false when there is no display. */
    static boolean prepare() {
        daemonThreadPool();
        if (GraphicsEnvironment.isHeadless()) {
            CommandTable.install();
            return false;
        }
        CommandTable.leaveToImageJ();
        if (!ToolkitStartHook.named()) {
            DialogGuard.install(); // a JVM bridge did not start: AWT will not install the guard itself
        }
        DialogGuard.forget();
        return true;
    }

    /**
     * Makes the threads of ImageJ's shared pool ({@code ThreadUtil}, used by filters such as
     * Median) daemons.  Its core threads never time out, and a JVM shuts down only when every
     * non-daemon thread has ended, so otherwise the process could not exit after such a
     * command ({@code ij.ImageJ -batch} ends with {@code System.exit}; bridge cannot).
     */
    static void daemonThreadPool() {
        ThreadUtil.threadPoolExecutor.setThreadFactory(runnable -> {
            Thread thread = Executors.defaultThreadFactory().newThread(runnable);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * No images, no table windows but the Log, an empty Results table and ROI Manager, as in a
     * newly started ImageJ.  (The ROI Manager a batch-mode macro uses belongs to its interpreter,
     * and every run has a new one.)
     */
    static void reset() {
        for (int id : Interpreter.getBatchModeImageIDs()) {
            Interpreter.removeBatchModeImage(WindowManager.getImage(id));
        }
        int[] ids = WindowManager.getIDList();
        if (ids != null) {
            for (int id : ids) {
                ImagePlus imp = WindowManager.getImage(id);
                if (imp != null) {
                    imp.changes = false;
                    imp.close();
                }
            }
        }
        WindowManager.setTempCurrentImage(null);
        Frame[] windows = WindowManager.getNonImageWindows();
        for (Frame window : windows == null ? new Frame[0] : windows) {
            if (window instanceof TextWindow && !"Log".equals(window.getTitle())) {
                ((TextWindow) window).close(false);
            }
        }
        RoiManager manager = RoiManager.getRawInstance();
        if (manager != null) {
            manager.reset();
        }
        ResultsTable.getResultsTable().reset();
        IJ.getErrorMessage(); // forget an error an earlier call left
    }
}
