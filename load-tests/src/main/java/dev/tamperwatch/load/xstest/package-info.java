/**
 * Evaluation of the refusal-rate detector on real model behaviour: XSTest completions of five
 * models with human refusal labels, replayed as per-identity refusal streams with and without
 * injected shifts ({@link dev.tamperwatch.load.xstest.XsTestEvaluation}, printed by {@link
 * dev.tamperwatch.load.xstest.XsTestReport}).
 */
package dev.tamperwatch.load.xstest;
