/** {@code bellwether ctl}: one class per subcommand; reads the DCS, acts through members' REST API. */
package org.bellwether.cli;
