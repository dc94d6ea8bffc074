package bridge.companion;

import ij.Menus;
import java.lang.reflect.Field;
import java.util.Hashtable;
import java.util.Map;

/**
 * Gives headless ImageJ the small menu command table it needs to run DICOM reading and macros.
 *
 * <p>{@code IJ.run} and {@code IJ.open} build ImageJ's menu bar first (a HeadlessException
 * without a display) unless {@code Menus.getCommands()} is already non-null.  With a table
 * present they run on the calling thread, so:
 * <ul>
 * <li>the macro function {@code open(path)} works headless;</li>
 * <li>ImageJ's DICOM reader, which converts a Rescale Slope != 1 image with
 *     {@code IJ.run(imp, "32-bit")}, {@code "Multiply..."} and {@code "Add..."}, finds those
 *     three commands.  "32-bit" is ImageJ's own Converter (it needs no dialog); the two
 *     arithmetic commands are {@link PixelMath}, because ImageJ's ImageMath reads its value
 *     through a dialog.  DICOM's own code then sets the display range and window, so the
 *     result is the one the ImageJ GUI gives.</li>
 * </ul>
 * Existing entries are never replaced (a real ImageJ table keeps its own commands).
 */
final class CommandTable {

    static final Map<String, String> RESCALE_COMMANDS = Map.of(
            "32-bit", "ij.plugin.Converter(\"32-bit\")",
            "Multiply...", PixelMath.class.getName() + "(\"mul\")",
            "Add...", PixelMath.class.getName() + "(\"add\")");

    private static boolean installed;
    private static boolean imagejTable;

    private CommandTable() {
    }

    /** Makes sure ImageJ has a command table holding the rescale commands; cheap after the first call. */
    @SuppressWarnings("unchecked")
    static synchronized void install() {
        if (installed) {
            return;
        }
        Session.daemonThreadPool(); // commands may use ImageJ's thread pool (see there)
        Hashtable<String, String> table = (Hashtable<String, String>) Menus.getCommands();
        if (table == null) {
            table = new Hashtable<>();
            setPluginsTable(table);
        }
        for (Map.Entry<String, String> command : RESCALE_COMMANDS.entrySet()) {
            table.putIfAbsent(command.getKey(), command.getValue());
        }
        installed = true;
    }

    /**
     * ImageJ's own command table, built as ImageJ builds it at start-up ({@code Menus.addMenuBar},
     * reached through {@code Menus.getCommands()}); needs a display.  A small table installed
     * earlier by {@link #install} is dropped first, then the rescale commands are added only
     * where ImageJ has none (it has all three, so ImageJ's own run).
     */
    static synchronized void installImageJ() {
        if (imagejTable) {
            return;
        }
        if (installed) {
            setPluginsTable(null);
            installed = false;
        }
        if (Menus.getCommands() == null) {
            throw new IllegalStateException("ImageJ built no command table");
        }
        imagejTable = true;
        install();
    }

    /** {@code Menus.pluginsTable} is private and has no setter; it is only read through getCommands(). */
    private static void setPluginsTable(Hashtable<String, String> table) {
        try {
            Field field = Menus.class.getDeclaredField("pluginsTable");
            field.setAccessible(true);
            field.set(null, table);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this ImageJ has no Menus.pluginsTable to fill", e);
        }
    }
}
