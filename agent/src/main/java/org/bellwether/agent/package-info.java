/** The agent: the HA loop (observe, decide, act, publish), the REST API and metrics. It makes no HA choice itself. */
package org.bellwether.agent;
