package org.bellwether.config;

/**
 * What Bellwether does with a Patroni setting that is present. Every setting in the {@link SettingsTable} is in
 * exactly one class, so that none is accepted in silence.
 */
public enum SettingClass {
    /** Acted on as Patroni acts on it. */
    APPLIED("applied"),
    /** An error naming the source, the key and why: ignoring the setting would change what the cluster does. */
    REFUSED("refused"),
    /**
     * Accepted with a warning that says why it has no effect: what it would change is cosmetic, or Patroni ignores it
     * as well.
     */
    NOT_APPLIED("accepted, not applied");

    private final String label;

    SettingClass(String label) {
        this.label = label;
    }

    /** How messages and the settings document name the class. */
    public String label() {
        return label;
    }
}
