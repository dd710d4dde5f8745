//! The page's parts, each named for what the person sees.

pub mod controls;
pub mod definition_editor;
pub mod event_history;
pub mod example_picker;
pub mod execution_input;
pub mod execution_result;
pub mod export_panel;
pub mod expression_box;
pub mod graph_view;
pub mod import_note;
pub mod iteration_picker;
pub mod json_editor;
pub mod link_notice;
pub mod mock_panel;
pub mod save_notice;
pub mod share_panel;
pub mod state_graph;
pub mod step_details;
pub mod test_state_tab;
pub mod workshop;
