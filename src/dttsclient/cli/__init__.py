"""dttsclient.cli"""
