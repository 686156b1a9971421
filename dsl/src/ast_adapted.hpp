// Boost.Fusion views of the syntax tree, so that X3 can fill the structs member by member.
// Only the grammar needs these; the positions (ast::Located) are filled by on_success instead.
#pragma once

#include <optional>

#include <boost/fusion/include/adapt_struct.hpp>
#include <boost/spirit/home/x3/support/traits/optional_traits.hpp>

#include "concord/dsl/ast.hpp"

// X3 in Boost 1.81 only knows boost::optional; the tree uses std::optional.
namespace boost::spirit::x3::traits {
template <typename T>
struct is_optional<std::optional<T>> : mpl::true_ {};
template <typename T>
struct optional_value<std::optional<T>> : mpl::identity<T> {};
}  // namespace boost::spirit::x3::traits

BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::Identifier, name)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::Code, value)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::SystemCodes, system, codes)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::Unit, text)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::ArithStep, op, operand)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::ArithProduct, first, rest)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::ArithTerm, op, product)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::ArithSum, first, rest)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::Conversion, from, by)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::MeasuredIn, unit, conversions)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::RefsetRef, id)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::CodesDecl, name, parts, except, measured)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::Duration, count, unit)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::StageKindRef, kind)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::ConditionDecl, name, title, diagnosis, also,
                          resolved_by, sources)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::Moment, date)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::FactRelation, after, moment)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::FactTest, kind, value_set, within, relation)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::OnsetWindow, from, to, unit)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::SeasonStart, day, month)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::Recurring, interval, from_onset)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::FrailtyAtLeast, level)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::CountTest, kind, value_set, within, op, value)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::DoneBy, kind, value_set)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::Bound, value_set, op, limit, unit)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::TargetDecl, bounds, when)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::IntervalWhen, interval, when)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::CheckDecl, name, title, for_frailty, conditions, stage,
                          every, intervals_when, only_when, done_by, targets, sources)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::Comparison, measure, op, value)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::ScoreTest, function, op, value)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::LatestTest, kind, value_set, within_set)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::Not, operand)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::AndExpr, first, rest)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::OrExpr, first, rest)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::Minutes, base, per_extra_condition, up_to)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::StageDecl, name, kind, title, before, minutes)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::AskDecl, name, text, when)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::ReviewDecl, name, title, sources, merge_when, gather,
                          stages, asks)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::FrailtyDecl, level, value_set)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::EndOfLifeDecl, value_set, suppresses)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::ActivationDecl, value_set)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::SuppressDecl, scope, value_set, reason, lasts)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::Header, name, version, title, sources)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::ImportDecl, path)
BOOST_FUSION_ADAPT_STRUCT(concord::dsl::ast::RulesetFile, header, imports, items)
