# COINr 1.1.14 reference outputs for the engine's parity tests beyond the ASEM defaults.
#
#   COINR_LIB=<library with COINr 1.1.14> OUT=tests/fixtures/coinr-cases Rscript scripts/coinr_cases.R
#
# (see ../shared/tools/coinr/README.md for installing COINr from its public repository).
# Every file is written with 17 significant digits; `tests/test_coinr_cases.py` reads them and
# needs no R. The inputs are COINr's own example data (ASEM_iData, ASEM_iData_p, ASEM_iMeta; MIT).
.libPaths(c(Sys.getenv("COINR_LIB"), .libPaths()))
suppressMessages(library(COINr))
options(digits = 17, warn = 1)
out <- Sys.getenv("OUT", "tests/fixtures/coinr-cases")
dir.create(out, showWarnings = FALSE, recursive = TRUE)
w <- function(df, name) {
  df <- as.data.frame(df)
  num <- vapply(df, is.numeric, logical(1))
  df[num] <- lapply(df[num], function(v) ifelse(is.na(v), NA, sprintf("%.17g", v)))
  write.csv(df, file.path(out, name), row.names = FALSE, na = "NA")
}
coin <- build_example_coin(quietly = TRUE)
ind <- coin$Meta$Ind[coin$Meta$Ind$Type == "Indicator", ]
icodes <- ind$iCode

# -- panels: per period (a purse, as COINr does it) and pooled ---------------------------------
w(ASEM_iData_p, "panel_input.csv")
purse <- new_coin(ASEM_iData_p, ASEM_iMeta, split_to = "all", quietly = TRUE)
purse <- Denominate(purse, dset = "Raw")
purse <- Impute(purse, dset = "Denominated", f_i = "i_mean_grp", use_group = "EurAsia_group")
purse <- Treat(purse, dset = "Imputed", global_specs = list(f1_para = list(winmax = 5)))
purse <- Normalise(purse, dset = "Treated", global = TRUE)
purse <- Normalise(purse, dset = "Treated", global = FALSE, write_to = "NormalisedPerPeriod")
for (d in c("Denominated", "Imputed", "Treated", "Normalised", "NormalisedPerPeriod")) {
  w(get_dset(purse, d), paste0("panel_", d, ".csv"))
}
den <- get_dset(purse, "Denominated")
grp <- ASEM_iData_p$EurAsia_group[match(paste(den$uCode, den$Time),
                                        paste(ASEM_iData_p$uCode, ASEM_iData_p$Time))]
pooled_imp <- Impute(den[icodes], f_i = "i_mean_grp", f_i_para = list(f = grp))
w(cbind(den[c("uCode", "Time")], pooled_imp), "panel_pooled_Imputed.csv")
pooled_tr <- Treat(pooled_imp, global_specs = list(f1_para = list(winmax = 5)))
w(cbind(den[c("uCode", "Time")], pooled_tr$x_treat), "panel_pooled_Treated.csv")
w(pooled_tr$Dets_Table, "panel_pooled_Treated_details.csv")

# -- trends: CAGR and prc_change, with zeros and negative values -------------------------------
series <- list(
  up = c(1, 2, 4), flat_zero = c(0, 0, 0), from_zero = c(0, 3, 5), zero_to_neg = c(0, -1, -4),
  neg_neg = c(-2, -3, -8), neg_pos = c(-2, 1, 8), pos_neg = c(2, 1, -8), to_zero = c(5, 2, 0),
  gap = c(NA, 4, 1), two_pos_one_year = c(NA, 3, -6), equal_ends = c(3, 7, 3),
  one_value = c(NA, NA, 2)
)
tt <- c(2018, 2019, 2021)
rows <- lapply(names(series), function(nm) {
  y <- series[[nm]]
  data.frame(case = nm, y1 = y[1], y2 = y[2], y3 = y[3],
             CAGR = suppressWarnings(CAGR(y, tt)), prc_change = prc_change(y, tt))
})
w(do.call(rbind, rows), "trends_series.csv")
raw_p <- get_dset(purse, "Raw")
tr_cagr <- get_trends(purse, dset = "Raw", f_trend = "CAGR")$Trends
tr_prc <- get_trends(purse, dset = "Raw", f_trend = "prc_change")$Trends
tr_lat <- get_trends(purse, dset = "Raw", f_trend = "CAGR", use_latest = 3)$Trends
w(tr_cagr[c("uCode", "iCode", "CAGR")], "trends_panel_cagr.csv")
w(tr_prc[c("uCode", "iCode", "prc_change")], "trends_panel_prc_change.csv")
w(tr_lat[c("uCode", "iCode", "CAGR")], "trends_panel_cagr_latest3.csv")

# -- treatment ---------------------------------------------------------------------------------
imp <- coin$Data$Imputed[icodes]
den1 <- coin$Data$Denominated[icodes]
neg <- imp
neg[] <- lapply(imp, function(v) -v)   # mirror images: negative skew
treat_case <- function(name, x, ...) {
  res <- suppressWarnings(Treat(x, ...))
  w(cbind(uCode = coin$Data$Imputed$uCode, res$x_treat), paste0("treat_", name, ".csv"))
  w(res$Dets_Table, paste0("treat_", name, "_details.csv"))
  w(cbind(uCode = coin$Data$Imputed$uCode, res$Treated_Points),
    paste0("treat_", name, "_points.csv"))
}
indiv <- list(
  Goods = list(f1_para = list(winmax = 10)),                 # f1_para replaced: na.rm, thresholds back to defaults
  Flights = list(f2 = "log_CT_plus"),                        # new f2: its parameters dropped
  Services = "none",
  ForPort = list(f_pass_para = list(skew_thresh = 1, kurt_thresh = 1)),
  CostImpEx = list(f1 = "winsorise", f1_para = list(winmax = 1)),  # same f1: parameters merged
  Renew = list(f2 = "boxcox", f2_para = list(lambda = 0.5))
)
treat_case("global_indiv", imp,
           global_specs = list(f1_para = list(winmax = 3),
                               f_pass_para = list(skew_thresh = 1.5, kurt_thresh = 2.5)),
           indiv_specs = indiv)
treat_case("force_win", imp, global_specs = list(f1_para = list(winmax = 4, force_win = TRUE)))
treat_case("log_ct_plus", neg, global_specs = list(f2 = "log_CT_plus"))
treat_case("log_ct_plus_pos", imp, global_specs = list(f2 = "log_CT_plus",
                                                       f1_para = list(winmax = 1)))
treat_case("combine", imp, global_specs = list(f1_para = list(winmax = 2)), combine_treat = TRUE)
treat_case("na_indiv", den1, indiv_specs = list(Goods = list(f1_para = list(winmax = 2)),
                                                Gas = list(f1_para = list(winmax = 2))))

# -- normalisation: distance to target ---------------------------------------------------------
tr <- coin$Data$Treated
for (cap in c(FALSE, TRUE)) {
  c2 <- coin
  c2$Meta$Ind$dist2targ_cap_max <- cap
  c2 <- Normalise(c2, dset = "Treated", global_specs = list(f_n = "n_dist2targ",
                                                            f_n_para = "use_iMeta"))
  w(c2$Data$Normalised, paste0("dist2targ_cap_", tolower(cap), ".csv"))
}
w(ind[c("iCode", "Direction", "Target")], "dist2targ_targets.csv")

# -- aggregation: Copeland (COINr's Aggregate cannot call a_copeland, which takes X, not x:
#    the reference is a_copeland itself on each group's block) ----------------------------------
norm <- coin$Data$Normalised
normNA <- Normalise(coin, dset = "Denominated", global_specs = list(f_n = "n_minmax",
                    f_n_para = list(l_u = c(0, 100))), write_to = "NormNA")$Data$NormNA
lin <- coin$Meta$Lineage
cop <- function(X) {
  res <- list()
  for (p in unique(lin$Pillar)) {
    kids <- lin$Indicator[lin$Pillar == p]
    wts <- ind$Weight[match(kids, ind$iCode)]
    res[[p]] <- a_copeland(as.matrix(X[kids]), w = wts)
  }
  cbind(uCode = X$uCode, as.data.frame(res))
}
w(cop(norm), "copeland_pillars.csv")
w(cop(normNA), "copeland_pillars_na.csv")
w(normNA, "copeland_input_na.csv")
X <- data.frame(a = c(1, 2, 2, 3), b = c(3, 2, 2, 1), c = c(1, 1, 2, 2))
w(data.frame(unit = 1:4, equal = a_copeland(as.matrix(X), w = c(1, 1, 1)),
             weighted = a_copeland(as.matrix(X), w = c(2, 1, 1))), "copeland_small.csv")

# -- analysis: Cronbach's alpha with missing values; correlations with the p-value filter -------
al <- data.frame()
for (d in c("Denominated", "Normalised")) {
  for (lev in 2:3) {
    for (g in unique(lin[[lev]])) {
      a <- get_cronbach(coin, dset = d, iCodes = g, Level = 1)
      al <- rbind(al, data.frame(dset = d, group = g, alpha = a))
    }
  }
}
w(al, "cronbach.csv")
for (ct in c("pearson", "spearman", "kendall")) {
  for (pv in c(0, 0.05)) {
    cr <- suppressWarnings(get_corr(coin, dset = "Denominated", iCodes = list("Conn"),
                                    Levels = c(1, 1), cortype = ct, pval = pv))
    w(cr, sprintf("corr_%s_p%s.csv", ct, pv))
  }
}
# the p-values get_pvals takes from cor.test, on pairs of every size that switches algorithm
set.seed(20261202)
pv <- data.frame()
for (n in c(3, 4, 5, 7, 9, 10, 12, 20, 35, 49, 50, 60)) {
  for (k in 1:6) {
    x <- round(rnorm(n), if (k <= 4) 6 else 0)
    y <- round(x * (k / 6) + rnorm(n), if (k <= 4) 6 else 0)
    for (ct in c("pearson", "spearman", "kendall")) {
      p <- suppressWarnings(cor.test(x, y, method = ct)$p.value)
      pv <- rbind(pv, data.frame(n = n, k = k, method = ct, x = paste(x, collapse = " "),
                                 y = paste(y, collapse = " "), p = p))
    }
  }
}
w(pv, "corr_pvalues.csv")
crp <- get_corr(coin, dset = "Aggregated", Levels = c(1, 2), withparent = TRUE, pval = 0.05)
w(crp, "corr_pearson_ind_pillar_p0.05.csv")

# -- screening by zeros -----------------------------------------------------------------------
zs <- coin$Data$Raw[c("uCode", icodes)]
for (rule in c("byNA", "byzeros", "byNAandzeros")) {
  s <- Screen(zs, id_col = "uCode", unit_screen = rule, dat_thresh = 0.9,
              nonzero_thresh = 0.95)
  w(s$DataSummary, paste0("screen_", rule, ".csv"))
}
w(get_data_avail(zs), "screen_availability.csv")

# -- imputation by row within aggregation groups ----------------------------------------------
for (lev in 2:3) {
  for (f in c("i_mean", "i_median")) {
    cc <- Impute(coin, dset = "Denominated", f_i = f, impute_by = "row", group_level = lev)
    w(cc$Data$Imputed, sprintf("impute_row_%s_level%d.csv", f, lev))
  }
}
cc <- Impute(coin, dset = "Denominated", f_i = "i_mean", impute_by = "row", group_level = 2,
             normalise_first = FALSE)
w(cc$Data$Imputed, "impute_row_i_mean_level2_raw.csv")

# -- denominators with a scale factor ---------------------------------------------------------
denomby <- data.frame(iCode = c("Goods", "Services", "FDI", "CostImpEx"),
                      Denominator = c("GDP", "GDP", "Population", "Population"),
                      ScaleFactor = c(100, 100, 1e6, 1e3))
dd <- Denominate(coin, dset = "Raw", denomby = denomby, write_to = "Scaled")
w(dd$Data$Scaled, "denominate_scale.csv")
w(denomby, "denominate_scale_denomby.csv")

# -- the other normalisations and aggregations, and more imputation -----------------------------
sweep <- list(
  scaled = list(f_n = "n_scaled", f_n_para = list(npara = c(0, 50), scale_factor = 10)),
  dist2max = list(f_n = "n_dist2max"),
  dist2ref = list(f_n = "n_dist2ref", f_n_para = list(iref = 5, cap_max = TRUE)),
  prank = list(f_n = "n_prank"),
  borda = list(f_n = "n_borda")
)
for (nm in names(sweep)) {
  cc <- Normalise(coin, dset = "Treated", global_specs = sweep[[nm]], write_to = "N")
  w(cc$Data$N, paste0("normalise_", nm, ".csv"))
}
c3 <- coin
qs <- t(sapply(icodes, function(i) stats::quantile(coin$Data$Treated[[i]], c(0.1, 0.9),
                                                      names = FALSE)))
ii <- match(icodes, c3$Meta$Ind$iCode)
c3$Meta$Ind$goalpost_lower <- NA; c3$Meta$Ind$goalpost_upper <- NA
c3$Meta$Ind$goalpost_lower[ii] <- qs[, 1]; c3$Meta$Ind$goalpost_upper[ii] <- qs[, 2]
c3$Meta$Ind$goalpost_scale <- 100; c3$Meta$Ind$goalpost_trunc2posts <- TRUE
c3 <- Normalise(c3, dset = "Treated", global_specs = list(f_n = "n_goalposts",
                                                          f_n_para = "use_iMeta"))
w(c3$Data$Normalised, "normalise_goalposts.csv")
w(data.frame(iCode = icodes, lower = qs[, 1], upper = qs[, 2]), "normalise_goalposts_posts.csv")
cc <- Aggregate(coin, dset = "Normalised", f_ag = "a_genmean", f_ag_para = list(p = 2),
                write_to = "G")
w(cc$Data$G, "aggregate_genmean_p2.csv")
c4 <- Normalise(coin, dset = "Denominated", global_specs = list(f_n = "n_minmax",
                f_n_para = list(l_u = c(1, 100))), write_to = "NormNA")
for (f in c("a_amean", "a_gmean", "a_hmean")) {
  cc <- Aggregate(c4, dset = "NormNA", f_ag = f, dat_thresh = 0.75, write_to = "A")
  w(cc$Data$A, paste0("aggregate_", f, "_gaps_thresh.csv"))
}
cc <- Impute(coin, dset = "Denominated", f_i = "i_median_grp", use_group = "GDP_group")
w(cc$Data$Imputed, "impute_median_grp.csv")
pimp <- impute_panel(get_dset(purse, "Raw"), max_time = 2)
w(pimp$iData_imp, "panel_impute_latest_max2.csv")

writeLines(capture.output(sessionInfo()), file.path(out, "sessionInfo.txt"))
