/**
 * Text output as patronictl prints it: Python's {@code str}, {@code json.dumps} and PyYAML's {@code safe_dump} for the
 * value types the tool handles, prettytable's layout, and difflib's unified diff. Pure functions from values to text;
 * nothing here does I/O.
 */
package org.bellwether.cli.format;
